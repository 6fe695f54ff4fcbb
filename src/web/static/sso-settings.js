// The CloudSSO SSO logon settings: "Copy" buttons for the SP information and reading an uploaded IdP metadata file
// into the text area the form posts (the form also works without this script: paste the XML).
(function () {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const field = document.getElementById(button.dataset.copy);
      if (!field) return;
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        // No clipboard permission: select the text so the user can copy it by hand.
        field.select();
        document.execCommand('copy');
      }
      button.textContent = 'Copied';
      setTimeout(() => (button.textContent = 'Copy'), 2000);
    });
  }
  for (const input of document.querySelectorAll('input[type=file][data-fill]')) {
    input.addEventListener('change', async () => {
      const target = document.getElementById(input.dataset.fill);
      const file = input.files && input.files[0];
      if (target && file) target.value = await file.text();
    });
  }
})();
