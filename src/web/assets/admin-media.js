// Media library: upload by file picker or drag and drop, one request per file, with progress.
// Without this script the page's plain form still uploads one file at a time.

const root = document.querySelector('[data-media-upload]');

if (root) {
  const form = root.querySelector('[data-media-drop]');
  const input = form.querySelector('input[type="file"]');
  const list = root.querySelector('.media-progress');
  const csrf = form.querySelector('input[name="_csrf"]').value;
  const endpoint = root.dataset.endpoint;
  const maxBytes = Number(root.dataset.maxBytes);
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

  form.classList.add('media-drop--enhanced');
  // Files upload as soon as they are chosen: the button is only for the plain form.
  form.querySelector('.media-drop__submit').hidden = true;

  /** One line per file: its name, a progress bar, and what happened, as text (never as HTML). */
  function progressLine(file) {
    const item = document.createElement('li');
    const status = document.createElement('span');
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    item.append(status, bar);
    list.prepend(item);
    const show = (kind, text) => {
      item.className = `media-progress__item media-progress__item--${kind}`;
      item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      status.textContent = text;
      if (kind !== 'sending') bar.remove();
    };
    return { bar, show, name: file.name };
  }

  /** Re-renders the list from the server, so the new image appears with its edit form. */
  async function refreshResults() {
    const response = await fetch(window.location.href, { credentials: 'same-origin' });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fresh = page.querySelector('[data-media-results]');
    const current = document.querySelector('[data-media-results]');
    if (fresh && current) current.replaceWith(fresh);
  }

  function upload(file) {
    const line = progressLine(file);
    const messages = root.dataset;
    if (file.size > maxBytes) {
      line.show('error', fill(messages.msgFailed, { name: file.name, reason: messages.msgTooLarge }));
      return Promise.resolve(false);
    }
    line.show('sending', fill(messages.msgSending, { name: file.name, percent: 0 }));
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open('POST', endpoint);
      request.setRequestHeader('x-csrf-token', csrf);
      request.setRequestHeader('accept', 'application/json');
      request.upload.addEventListener('progress', (event) => {
        if (!event.lengthComputable) return;
        const percent = Math.round((event.loaded / event.total) * 100);
        line.bar.value = percent;
        line.show('sending', fill(messages.msgSending, { name: file.name, percent }));
        if (percent === 100) line.show('sending', fill(messages.msgChecking, { name: file.name }));
      });
      request.addEventListener('load', () => {
        let answer = null;
        try {
          answer = JSON.parse(request.responseText);
        } catch {
          answer = null;
        }
        if (request.status === 201) {
          line.show('done', fill(messages.msgDone, { name: file.name }));
          resolve(true);
        } else {
          const reason = answer && typeof answer.message === 'string' ? answer.message : messages.msgNetwork;
          line.show('error', fill(messages.msgFailed, { name: file.name, reason }));
          resolve(false);
        }
      });
      request.addEventListener('error', () => {
        line.show('error', fill(messages.msgFailed, { name: file.name, reason: messages.msgNetwork }));
        resolve(false);
      });
      const body = new FormData();
      body.append('file', file, file.name);
      request.send(body);
    });
  }

  async function uploadAll(files) {
    const chosen = [...files];
    if (chosen.length === 0) return;
    // One after another: the progress stays readable and the server encodes one at a time anyway.
    let added = 0;
    for (const file of chosen) if (await upload(file)) added += 1;
    if (added > 0) await refreshResults();
  }

  input.addEventListener('change', () => {
    uploadAll(input.files).finally(() => {
      input.value = '';
    });
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    uploadAll(input.files);
  });

  // Drag and drop anywhere on the drop zone; the browser must not open the file instead.
  for (const type of ['dragenter', 'dragover']) {
    form.addEventListener(type, (event) => {
      event.preventDefault();
      form.classList.add('media-drop--over');
    });
  }
  for (const type of ['dragleave', 'dragend']) {
    form.addEventListener(type, () => form.classList.remove('media-drop--over'));
  }
  form.addEventListener('drop', (event) => {
    event.preventDefault();
    form.classList.remove('media-drop--over');
    if (event.dataTransfer) uploadAll(event.dataTransfer.files);
  });
}
