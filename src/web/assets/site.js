// Kiosque reading site: progressive enhancement only. Every page reads fully without this file.

// Share row: copy-link and the Web Share API, shown only where the browser can do them.
for (const share of document.querySelectorAll('[data-share-url]')) {
  const url = share.getAttribute('data-share-url');
  const title = share.getAttribute('data-share-title') || document.title;
  const status = share.querySelector('.share__status');
  const copy = share.querySelector('.share__copy');
  const native = share.querySelector('.share__native');

  if (copy) {
    copy.hidden = false;
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(url);
        status.textContent = copy.getAttribute('data-copied');
      } catch {
        status.textContent = copy.getAttribute('data-failed');
      }
    });
  }
  if (native && typeof navigator.share === 'function') {
    native.hidden = false;
    native.addEventListener('click', () => {
      navigator.share({ title, url }).catch(() => {
        // The reader closed the share sheet: nothing to report.
      });
    });
  }
}

// Gallery: a modal dialog with previous/next, arrow keys and Esc. showModal() makes the rest of
// the page inert and Tab wraps round the dialog's controls, which keeps focus inside; on close,
// focus goes back to the thumbnail.
for (const gallery of document.querySelectorAll('[data-gallery]')) {
  const links = [...gallery.querySelectorAll('.gallery__link')];
  const dialog = gallery.querySelector('.lightbox');
  if (!dialog || typeof dialog.showModal !== 'function' || links.length === 0) continue;
  const frame = dialog.querySelector('.lightbox__frame');
  const caption = dialog.querySelector('.lightbox__caption');
  const position = dialog.querySelector('.lightbox__position');
  const template = position.getAttribute('data-template');
  const prev = dialog.querySelector('.lightbox__prev');
  const next = dialog.querySelector('.lightbox__next');
  const close = dialog.querySelector('.lightbox__close');
  let current = 0;
  let opener = null;

  const show = (index) => {
    current = (index + links.length) % links.length;
    const link = links[current];
    const thumb = link.querySelector('img');
    const img = document.createElement('img');
    img.src = link.href;
    img.srcset = link.getAttribute('data-full-srcset');
    img.sizes = '(min-width: 72rem) 70rem, 100vw';
    img.width = Number(link.getAttribute('data-width'));
    img.height = Number(link.getAttribute('data-height'));
    img.alt = thumb ? thumb.alt : '';
    frame.replaceChildren(img);
    const figcaption = link.closest('figure').querySelector('figcaption');
    caption.replaceChildren(...(figcaption ? [...figcaption.childNodes].map((node) => node.cloneNode(true)) : []));
    position.textContent = template.replace('{position}', String(current + 1)).replace('{total}', String(links.length));
    const single = links.length < 2;
    prev.hidden = single;
    next.hidden = single;
  };

  links.forEach((link, index) => {
    link.addEventListener('click', (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      opener = link;
      show(index);
      dialog.showModal();
      close.focus();
    });
  });
  prev.addEventListener('click', () => show(current - 1));
  next.addEventListener('click', () => show(current + 1));
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowLeft') {
      event.preventDefault();
      show(document.documentElement.dir === 'rtl' ? current + 1 : current - 1);
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      show(document.documentElement.dir === 'rtl' ? current - 1 : current + 1);
    } else if (event.key === 'Tab') {
      // The inert page is skipped, but Tab past the last button still leaves the document for the
      // browser's own toolbar, so a keyboard reader loses the dialog: wrap round its controls instead.
      const controls = [...dialog.querySelectorAll('button:not([hidden]), a[href]')];
      const first = controls[0];
      const last = controls.at(-1);
      if (event.shiftKey ? document.activeElement === first : document.activeElement === last) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    }
  });
  // A click on the dark backdrop (outside the dialog box) closes it too.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) {
      const box = dialog.getBoundingClientRect();
      const inside =
        event.clientX >= box.left &&
        event.clientX <= box.right &&
        event.clientY >= box.top &&
        event.clientY <= box.bottom;
      if (!inside) dialog.close();
    }
  });
  // Esc closes a modal dialog natively; either way focus returns to the thumbnail that opened it.
  dialog.addEventListener('close', () => {
    frame.replaceChildren();
    if (opener) opener.focus();
  });
}
