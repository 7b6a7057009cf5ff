// Kiosque editor: live preview, autosave with a conflict view, a local copy of unsaved text, gallery
// reordering. The form works without this file; this file only makes it faster and safer to use.
// No inline script or style is allowed (CSP): everything is set through DOM APIs.

const form = document.getElementById('story-form');
if (form) enhance(form);

/** The server's slugify (src/domain/articles/slug.ts), so the address shown is the one saved. */
function slugify(text) {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[’']/g, '-')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = folded.length > 80 ? folded.slice(0, 80).replace(/-[^-]*$/, '') : folded;
  return cut || 'article';
}

function enhance(form) {
  const $ = (id) => document.getElementById(id);
  const field = (name) => form.elements.namedItem(name);
  const csrf = field('_csrf').value;
  const revision = field('expectedRevision');
  const status = $('autosave-status');
  const errorBox = $('editor-error');
  const conflictPanel = $('conflict');
  const localBanner = $('local-copy');
  const headline = field('headline');
  const slug = field('slug');
  const body = field('bodyMarkdown');
  const previewBox = $('body-preview');
  const galleryRows = $('gallery-rows');
  const jsonHeaders = { 'content-type': 'application/json', 'x-csrf-token': csrf, accept: 'application/json' };
  const autosaveDelay = 2000;
  const skipped = new Set(['_csrf', 'expectedRevision', 'scheduleAt', 'scheduleAtIso']);

  let storyId = form.dataset.storyId || '';
  let slugAuto = form.dataset.slugAuto === 'true';
  let lastSaved = '';
  let saving = null;
  let again = false;
  let timer = null;
  let retry = null;
  let submitting = false;
  // While two versions are on screen nothing is saved on its own: the person decides what to keep.
  let conflictRevision = conflictPanel && !conflictPanel.hidden ? Number(revision.value) : null;
  // Fields marked data-commit="change" (tags, a new section) count once the person leaves them,
  // so that half-typed names do not become tags.
  const committed = new Map();

  const storageKey = () => `kiosque.editor.${storyId || 'new'}`;

  function fields() {
    const data = {};
    for (const element of form.elements) {
      const { name } = element;
      if (!name || skipped.has(name) || element.type === 'submit' || element.type === 'button') continue;
      if (element.type === 'checkbox' && !element.checked) continue;
      if (element.tagName === 'SELECT' && element.multiple) {
        data[name] = [...element.selectedOptions].map((option) => option.value);
        continue;
      }
      const value =
        element.dataset.commit === 'change' && element === document.activeElement
          ? (committed.get(name) ?? element.defaultValue)
          : element.value;
      data[name] = name in data ? [].concat(data[name], value) : value;
    }
    return data;
  }

  const snapshot = () => JSON.stringify(fields());
  const isDirty = () => snapshot() !== lastSaved;

  function setStatus(kind, values = {}) {
    if (!status) return;
    let text = status.dataset[kind] ?? '';
    for (const [key, value] of Object.entries(values)) text = text.replace(`{${key}}`, value);
    status.textContent = text;
    status.dataset.state = kind;
  }

  function timeText(iso) {
    const date = iso ? new Date(iso) : new Date();
    return date.toLocaleTimeString(document.documentElement.lang || undefined, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  function showError(message) {
    if (!errorBox) return;
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
  }

  function markInvalid(names) {
    for (const element of form.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
    for (const name of names ?? []) {
      const element = field(name);
      if (element && 'setAttribute' in element) element.setAttribute('aria-invalid', 'true');
    }
  }

  // The local copy: what the person typed, kept on this device until the server has it.
  function writeLocalCopy() {
    try {
      localStorage.setItem(
        storageKey(),
        JSON.stringify({ fields: fields(), revision: Number(revision.value), at: Date.now() }),
      );
    } catch {
      // Storage full or refused (private mode): the server save is still attempted.
    }
  }

  function dropLocalCopy() {
    try {
      localStorage.removeItem(storageKey());
    } catch {}
  }

  function readLocalCopy() {
    try {
      const copy = JSON.parse(localStorage.getItem(storageKey()) ?? 'null');
      return copy && typeof copy === 'object' && copy.fields ? copy : null;
    } catch {
      return null;
    }
  }

  function schedule(delay = autosaveDelay) {
    clearTimeout(timer);
    timer = setTimeout(() => void save(), delay);
  }

  function changed() {
    if (!isDirty()) return;
    writeLocalCopy();
    if (conflictRevision !== null) return;
    setStatus('unsaved');
    schedule();
  }

  async function send(data, keepalive) {
    const payload = storyId ? { expectedRevision: Number(revision.value), fields: data } : { fields: data };
    const text = JSON.stringify(payload);
    // keepalive requests may carry 64 KiB at most; a longer text relies on the local copy.
    return fetch(storyId ? `${form.dataset.apiSave}${storyId}` : form.dataset.apiCreate, {
      method: storyId ? 'PUT' : 'POST',
      headers: jsonHeaders,
      body: text,
      credentials: 'same-origin',
      keepalive: keepalive && text.length < 60_000,
    });
  }

  function save({ keepalive = false } = {}) {
    if (conflictRevision !== null) return Promise.resolve();
    if (saving) {
      again = true;
      return saving;
    }
    const data = fields();
    const text = JSON.stringify(data);
    if (text === lastSaved) return Promise.resolve();
    // A story is stored once it has a headline; until then the local copy keeps the text.
    if (!String(data.headline ?? '').trim()) return Promise.resolve();
    clearTimeout(timer);
    clearTimeout(retry);
    setStatus('saving');
    saving = (async () => {
      try {
        const response = await send(data, keepalive);
        const answer = await response.json().catch(() => ({}));
        if (response.ok) {
          if (!storyId) adopt(answer);
          revision.value = String(answer.revision);
          lastSaved = text;
          showError('');
          markInvalid([]);
          setStatus('saved', { time: timeText(answer.savedAt) });
          // Saved, but not for readers yet: the status line says so (its state stays "saved").
          if (answer.pending && status?.dataset.savedPending)
            status.textContent = status.dataset.savedPending.replace('{time}', timeText(answer.savedAt));
          // A live story's edits wait as unpublished changes: say so, and offer to put them live.
          const pendingBox = $('pending-changes');
          if (pendingBox && answer.pending) {
            pendingBox.hidden = false;
            const note = $('live-note');
            if (note) note.hidden = true;
          }
          if (Array.isArray(answer.preflight)) showFindings(answer.preflight);
          if (isDirty()) writeLocalCopy();
          else dropLocalCopy();
        } else if (response.status === 409 && answer.current) {
          showConflict(answer);
        } else {
          writeLocalCopy();
          showError(answer.message ?? '');
          markInvalid(answer.fields);
          setStatus('failed', { reason: answer.message ?? String(response.status) });
        }
      } catch {
        // No network (or the server is away): keep the text here and try again.
        writeLocalCopy();
        setStatus('offline');
        retry = setTimeout(() => void save(), 5000);
      } finally {
        saving = null;
      }
      if (again) {
        again = false;
        if (isDirty()) schedule(200);
      }
    })();
    return saving;
  }

  /** The preflight findings of what was just saved, built as text nodes (nothing is parsed as HTML). */
  function showFindings(findings) {
    const panel = $('preflight');
    const list = $('preflight-findings');
    if (!panel || !list) return;
    list.replaceChildren(
      ...findings.map((finding) => {
        const item = document.createElement('li');
        item.className = `finding finding--${finding.severity === 'blocking' ? 'blocking' : 'warning'}`;
        item.dataset.code = finding.code;
        const severity = document.createElement('span');
        severity.className = 'finding__severity';
        severity.textContent = finding.severity === 'blocking' ? panel.dataset.blocking : panel.dataset.warning;
        item.append(severity, ' ');
        if (finding.where) {
          const where = document.createElement('strong');
          where.textContent = finding.where;
          item.append(where, ' ');
        }
        item.append(finding.text);
        if (finding.excerpt) {
          const quote = document.createElement('q');
          quote.lang = panel.dataset.language || '';
          quote.textContent = finding.excerpt;
          item.append(' ', quote);
        }
        return item;
      }),
    );
    const none = panel.querySelector('.preflight__none');
    if (none) none.hidden = findings.length > 0;
  }

  /** The story now exists: the page becomes its editor without reloading (the person is typing). */
  function adopt(answer) {
    const previousKey = storageKey();
    storyId = answer.id;
    form.dataset.storyId = answer.id;
    form.action = answer.editUrl;
    history.replaceState(null, '', answer.editUrl);
    for (const button of form.querySelectorAll('[data-action]')) {
      button.formAction = `${answer.editUrl}/${button.dataset.action}`;
      button.hidden = false;
    }
    for (const box of form.querySelectorAll('[data-action-box]')) box.hidden = false;
    const link = $('preview-link');
    if (link && answer.previewUrl) {
      link.href = answer.previewUrl;
      $('preview-link-box').hidden = false;
    }
    try {
      localStorage.removeItem(previousKey);
    } catch {}
  }

  // Conflict: both versions side by side; "take theirs" per field; the merge is saved on request.
  function showConflict(answer) {
    conflictRevision = answer.current.revision;
    writeLocalCopy();
    setStatus('conflict');
    showError(answer.message ?? '');
    const who = conflictPanel.querySelector('.conflict__who');
    who.textContent = (who.dataset.template ?? '')
      .replace('{name}', answer.current.savedBy ?? '')
      .replace('{time}', answer.current.savedAtText ?? answer.current.savedAt)
      .replace('{revision}', String(answer.current.revision));
    const rows = conflictPanel.querySelector('tbody');
    rows.replaceChildren(
      ...answer.differences.map((difference) => {
        const row = document.createElement('tr');
        row.dataset.group = difference.group;
        const label = document.createElement('th');
        label.scope = 'row';
        label.textContent = difference.label;
        const cell = (text) => {
          const td = document.createElement('td');
          const pre = document.createElement('pre');
          pre.className = 'conflict__text';
          pre.textContent = text;
          td.append(pre);
          return td;
        };
        const take = document.createElement('button');
        take.type = 'button';
        take.className = 'conflict__take';
        take.textContent = rows.dataset.takeLabel ?? '';
        take.dataset.fields = JSON.stringify(difference.fields);
        const actions = document.createElement('td');
        actions.append(take);
        row.append(label, cell(difference.theirs), cell(difference.yours), actions);
        return row;
      }),
    );
    openConflictPanel();
  }

  function openConflictPanel() {
    conflictPanel.hidden = false;
    for (const button of conflictPanel.querySelectorAll('.conflict__take')) button.hidden = false;
    $('conflict-save').hidden = false;
    const hint = conflictPanel.querySelector('.conflict__nojs');
    if (hint) hint.hidden = true;
    conflictPanel.scrollIntoView({ block: 'start' });
  }

  conflictPanel?.addEventListener('click', (event) => {
    const take = event.target.closest?.('.conflict__take');
    if (take) {
      applyFields(JSON.parse(take.dataset.fields ?? '{}'));
      take.disabled = true;
      take.closest('tr')?.classList.add('conflict__row--taken');
    }
  });

  $('conflict-save')?.addEventListener('click', () => {
    // The merge is based on their version: saving it is a new revision after theirs.
    revision.value = String(conflictRevision);
    conflictRevision = null;
    conflictPanel.hidden = true;
    lastSaved = '';
    showError('');
    void save();
  });

  function setValue(name, value) {
    const element = field(name);
    if (!element) return;
    if (element instanceof RadioNodeList) {
      // Rows of one list in order (the byline): the n-th value goes to the n-th row.
      const values = [].concat(value);
      [...element].forEach((row, index) => {
        if (row.tagName === 'SELECT') row.value = values[index] ?? '';
      });
      return;
    }
    if (element.tagName === 'SELECT' && element.multiple) {
      const wanted = new Set([].concat(value));
      for (const option of element.options) option.selected = wanted.has(option.value);
    } else if (element.type === 'checkbox') {
      element.checked = Boolean(value);
    } else {
      element.value = Array.isArray(value) ? (value[0] ?? '') : value;
      if (element.dataset.commit === 'change') committed.set(name, element.value);
    }
  }

  /** Puts fields (as the server or the local copy has them) into the form. */
  function applyFields(values) {
    const galleryNames = Object.keys(values).filter((name) => name.startsWith('gallery.'));
    if (galleryNames.length > 0) {
      const count = galleryNames.filter((name) => /^gallery\.\d+\.imageId$/.test(name)).length;
      setGalleryCount(count);
    }
    for (const [name, value] of Object.entries(values)) {
      if (name === 'gallery.length') continue;
      setValue(name, value);
    }
    for (const select of form.querySelectorAll('.image-select')) showThumbnail(select);
    renumber();
    void renderPreview();
    changed();
  }

  // Live preview through the server: the same renderer as the public page, its sanitizer's output
  // parsed inertly (DOMParser runs nothing) and moved into the page.
  let previewTimer = null;
  let previewTurn = 0;
  async function renderPreview() {
    if (!previewBox || !body) return;
    const turn = ++previewTurn;
    try {
      const response = await fetch(form.dataset.apiPreview, {
        method: 'POST',
        headers: jsonHeaders,
        body: JSON.stringify({ markdown: body.value }),
        credentials: 'same-origin',
      });
      if (!response.ok || turn !== previewTurn) return;
      const { html } = await response.json();
      const parsed = new DOMParser().parseFromString(String(html), 'text/html');
      previewBox.replaceChildren(...parsed.body.childNodes);
    } catch {
      // Offline: the preview waits for the next keystroke.
    }
  }

  body?.addEventListener('input', () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => void renderPreview(), 300);
  });

  headline?.addEventListener('input', () => {
    if (slugAuto && slug) slug.value = headline.value.trim() ? slugify(headline.value) : '';
  });
  slug?.addEventListener('input', () => {
    slugAuto = false;
  });

  // Gallery: move rows up and down, add rows; positions follow the order on screen.
  function renumber() {
    if (!galleryRows) return;
    [...galleryRows.children].forEach((row, index) => {
      for (const element of row.querySelectorAll('[name^="gallery."]')) {
        element.name = element.name.replace(/^gallery\.[^.]+\./, `gallery.${index}.`);
      }
      for (const element of row.querySelectorAll('[id^="f-gallery-"]')) {
        element.id = element.id.replace(/^f-gallery-[^-]+-/, `f-gallery-${index}-`);
      }
      for (const label of row.querySelectorAll('label[for^="f-gallery-"]')) {
        label.htmlFor = label.htmlFor.replace(/^f-gallery-[^-]+-/, `f-gallery-${index}-`);
      }
      const position = row.querySelector('.gallery-position');
      if (position) position.value = String(index + 1);
    });
  }

  function addGalleryRow() {
    const template = $('gallery-row-template');
    if (!template || !galleryRows) return null;
    const row = template.content.firstElementChild.cloneNode(true);
    galleryRows.append(row);
    enhanceRow(row);
    renumber();
    return row;
  }

  function setGalleryCount(count) {
    if (!galleryRows) return;
    galleryRows.replaceChildren();
    for (let i = 0; i < count; i++) addGalleryRow();
  }

  function enhanceRow(row) {
    for (const element of row.querySelectorAll('.gallery-position, .gallery-position-label')) element.hidden = true;
    for (const element of row.querySelectorAll('.gallery-move')) element.hidden = false;
  }

  function showThumbnail(select) {
    const use = select.closest('.image-use');
    if (!use) return;
    let thumb = use.querySelector('.thumb');
    if (!select.value) {
      thumb?.remove();
      return;
    }
    if (!thumb) {
      // Decorative, as the server renders it: the select names the image.
      thumb = document.createElement('img');
      thumb.className = 'thumb';
      thumb.alt = '';
      thumb.width = 96;
      thumb.height = 64;
      use.prepend(thumb);
    }
    thumb.src = `/media/${encodeURIComponent(select.value)}/320.webp`;
  }

  if (galleryRows) {
    for (const row of galleryRows.children) enhanceRow(row);
    $('gallery-add').hidden = false;
    $('gallery-add').addEventListener('click', () => {
      addGalleryRow()?.querySelector('select')?.focus();
    });
    galleryRows.addEventListener('click', (event) => {
      const button = event.target.closest?.('[data-move]');
      if (!button) return;
      const row = button.closest('.gallery-row');
      if (button.dataset.move === 'up' && row.previousElementSibling) row.previousElementSibling.before(row);
      if (button.dataset.move === 'down' && row.nextElementSibling) row.nextElementSibling.after(row);
      renumber();
      button.focus();
      changed();
    });
  }

  // Uploads from the editor go to the media library; the new image is then chosen where asked.
  const fill = (template, values) =>
    Object.entries(values).reduce((text, [key, value]) => text.replace(`{${key}}`, value), template ?? '');

  function addImageOption(image) {
    const template = $('gallery-row-template');
    const selects = [
      ...form.querySelectorAll('.image-select'),
      ...(template ? template.content.querySelectorAll('.image-select') : []),
    ];
    for (const select of selects) {
      if ([...select.options].some((option) => option.value === image.id)) continue;
      const option = document.createElement('option');
      option.value = image.id;
      option.textContent = image.fileName ? `${image.fileName} (${image.id})` : image.id;
      option.dataset.alt = image.alt ?? '';
      option.dataset.caption = image.caption ?? '';
      option.dataset.credit = image.credit ?? '';
      select.add(option, 1);
    }
  }

  function useImage(target, image) {
    let select = null;
    if (target === 'hero') select = field('hero.imageId');
    else if (galleryRows) {
      const empty = [...galleryRows.children].find((row) => !row.querySelector('.image-select')?.value);
      select = (empty ?? addGalleryRow())?.querySelector('.image-select') ?? null;
    }
    if (!select) return;
    select.value = image.id;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }

  for (const box of document.querySelectorAll('.editor-upload')) {
    const input = box.querySelector('input[type="file"]');
    const list = box.querySelector('.editor-upload__status');
    box.hidden = false;
    input.addEventListener('change', async () => {
      for (const file of [...input.files]) {
        const line = document.createElement('li');
        line.textContent = fill(box.dataset.sending, { name: file.name });
        list.append(line);
        const body = new FormData();
        body.append('file', file, file.name);
        try {
          const response = await fetch('/admin/api/media', {
            method: 'POST',
            headers: { 'x-csrf-token': csrf, accept: 'application/json' },
            body,
            credentials: 'same-origin',
          });
          const answer = await response.json().catch(() => ({}));
          if (response.status === 201 && answer.image) {
            addImageOption(answer.image);
            useImage(box.dataset.uploadTarget, answer.image);
            line.textContent = fill(box.dataset.done, { name: file.name });
          } else {
            line.textContent = fill(box.dataset.failed, {
              name: file.name,
              reason: answer.message ?? String(response.status),
            });
            line.setAttribute('role', 'alert');
          }
        } catch {
          line.textContent = fill(box.dataset.failed, { name: file.name, reason: box.dataset.network ?? '' });
          line.setAttribute('role', 'alert');
        }
      }
      input.value = '';
    });
  }

  form.addEventListener('change', (event) => {
    const target = event.target;
    if (target.dataset?.commit === 'change') committed.set(target.name, target.value);
    if (target.classList?.contains('image-select')) {
      showThumbnail(target);
      // The library's own words are a starting point for this use of the image.
      const option = target.selectedOptions[0];
      const use = target.closest('.image-use');
      for (const part of ['alt', 'caption', 'credit']) {
        const input = use?.querySelector(`[name$=".${part}"]`);
        if (input && !input.value && option?.dataset[part]) input.value = option.dataset[part];
      }
    }
    changed();
  });
  form.addEventListener('input', () => changed());

  // A form post (save, publish, schedule…) waits for an autosave in flight, so it carries the
  // newest revision; the schedule is sent as an instant, read in the person's own time zone.
  form.addEventListener('submit', (event) => {
    if (saving) {
      event.preventDefault();
      const submitter = event.submitter;
      void saving.then(() => form.requestSubmit(submitter ?? undefined));
      return;
    }
    const local = field('scheduleAt');
    const iso = field('scheduleAtIso');
    if (local && iso) {
      const date = local.value ? new Date(local.value) : null;
      iso.value = date && !Number.isNaN(date.getTime()) ? date.toISOString() : '';
    }
    clearTimeout(timer);
    submitting = true;
  });

  // Leaving the page: save now (keepalive lets the request outlive the page), and warn while
  // changes are not saved.
  const flush = () => {
    if (submitting || !isDirty()) return;
    writeLocalCopy();
    void save({ keepalive: true });
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
  window.addEventListener('pagehide', flush);
  window.addEventListener('beforeunload', (event) => {
    if (submitting || (!isDirty() && !saving)) return;
    event.preventDefault();
    event.returnValue = '';
  });
  window.addEventListener('online', () => {
    if (isDirty()) void save();
  });

  // The scheduled time is shown in the person's own time zone.
  const scheduleInput = field('scheduleAt');
  if (scheduleInput?.dataset.iso) {
    const date = new Date(scheduleInput.dataset.iso);
    const pad = (n) => String(n).padStart(2, '0');
    scheduleInput.value = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }

  // Sections belong to one language: only the story's language's sections are offered.
  const languageSelect = field('language');
  const sectionSelect = field('sectionId');
  function offerSections() {
    if (!languageSelect || !sectionSelect) return;
    for (const group of sectionSelect.querySelectorAll('optgroup')) {
      const foreign = group.dataset.language !== languageSelect.value;
      group.disabled = foreign;
      group.hidden = foreign;
    }
    if (sectionSelect.selectedOptions[0]?.parentElement?.disabled) sectionSelect.value = '';
  }
  languageSelect?.addEventListener('change', offerSections);
  offerSections();

  for (const element of form.querySelectorAll('[data-commit="change"]')) committed.set(element.name, element.value);
  lastSaved = snapshot();

  // A server-side conflict page: the script adds "take theirs" and the explicit merge save.
  if (conflictRevision !== null) openConflictPanel();

  // Text this device kept but the server does not have (a crash, a closed tab, a lost network).
  const copy = readLocalCopy();
  if (copy && JSON.stringify(copy.fields) !== lastSaved && localBanner) {
    const message = localBanner.querySelector('.local-copy__message');
    message.textContent = (localBanner.dataset.message ?? '').replace(
      '{time}',
      new Date(copy.at).toLocaleString(document.documentElement.lang || undefined),
    );
    localBanner.hidden = false;
    $('local-copy-restore').addEventListener('click', () => {
      localBanner.hidden = true;
      // The text was based on this revision: if the story moved on since, the save is a conflict
      // and both versions are shown, never a silent overwrite.
      if (storyId && copy.revision) revision.value = String(copy.revision);
      applyFields(copy.fields);
    });
    $('local-copy-discard').addEventListener('click', () => {
      localBanner.hidden = true;
      dropLocalCopy();
    });
  } else if (copy) {
    dropLocalCopy();
  }
}
