// "Log on with Passkey": ask the server for a challenge, let the browser's authenticator sign it, hand the result back.
(function () {
  const button = document.getElementById('passkey-logon');
  const error = document.getElementById('passkey-error');
  if (!button || !window.SimpleWebAuthnBrowser) return;
  const csrf = button.dataset.csrf;
  async function post(path, body) {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _csrf: csrf, ...body }) });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.message || 'Passkey logon failed.');
    return data;
  }
  button.addEventListener('click', async () => {
    error.hidden = true;
    try {
      const optionsJSON = await post('/login/passkey/options', {});
      const response = await window.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON });
      const result = await post('/login/passkey/verify', { response });
      window.location.assign(result.redirect);
    } catch (e) {
      error.textContent = (e && e.message ? e.message : 'Passkey logon failed.') + ' You can log on with your password instead.';
      error.hidden = false;
    }
  });
})();
