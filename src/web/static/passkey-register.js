// "Add Passkey" in a RAM user's security settings: a WebAuthn registration ceremony with a discoverable credential.
(function () {
  const button = document.getElementById('passkey-add');
  const message = document.getElementById('passkey-message');
  if (!button || !window.SimpleWebAuthnBrowser) return;
  const csrf = button.dataset.csrf;
  async function post(path, body) {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _csrf: csrf, ...body }) });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.message || 'The passkey could not be added.');
    return data;
  }
  button.addEventListener('click', async () => {
    message.hidden = true;
    try {
      const name = document.getElementById('passkey-name').value;
      const optionsJSON = await post('/console/security/passkeys/options', {});
      const response = await window.SimpleWebAuthnBrowser.startRegistration({ optionsJSON });
      await post('/console/security/passkeys', { response, name });
      window.location.reload();
    } catch (e) {
      message.textContent = e && e.message ? e.message : 'The passkey could not be added.';
      message.hidden = false;
    }
  });
})();
