/** The upload page served at `GET /`: choose or drop images, see each one's label and confidence. */
export function renderUploadPage(model: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Glimpse — image recognition</title>
<link rel="stylesheet" href="/ui/upload-page.css">
</head>
<body>
<header>
  <h1>Glimpse</h1>
  <p>Drop photos to see what they show (ImageNet-1k, model <code>${escapeHtml(model)}</code>).
     <a href="/docs">API docs</a></p>
</header>
<main>
  <label id="drop" class="drop" for="files">
    <input id="files" type="file" accept="image/*" multiple>
    <span>Choose images or drop them here</span>
  </label>
  <p id="status" role="status" aria-live="polite"></p>
  <ul id="results" class="results"></ul>
</main>
<script type="module" src="/ui/upload-page.js"></script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const UPLOAD_PAGE_CSS = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f6f7fb; }
body { margin: 0 auto; max-width: 980px; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 28px; }
header p { margin: 0 0 20px; color: #566; }
.drop { display: block; border: 2px dashed #8a94a8; border-radius: 12px; padding: 40px; text-align: center;
  background: #fff; cursor: pointer; font-size: 18px; }
.drop.over { border-color: #2f6fed; background: #eef4ff; }
.drop input { display: none; }
.results { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 16px; }
.card { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px #0002; overflow: hidden; }
.card img { width: 100%; height: 160px; object-fit: cover; display: block; background: #ddd; }
.card .body { padding: 10px 12px; }
.card .name { font-size: 12px; color: #667; overflow-wrap: anywhere; }
.card .label { font-weight: 600; font-size: 17px; margin: 4px 0; }
.card .error { color: #b3261e; }
.bar { display: flex; align-items: center; gap: 6px; font-size: 12px; margin: 2px 0; }
.bar span:first-child { flex: 0 0 95px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.bar meter { flex: 1; }
`;

export const UPLOAD_PAGE_SCRIPT = `
const drop = document.getElementById('drop');
const input = document.getElementById('files');
const list = document.getElementById('results');
const status = document.getElementById('status');

input.addEventListener('change', () => upload([...input.files]));
drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  upload([...event.dataTransfer.files].filter((file) => file.type.startsWith('image/')));
});

function card(file) {
  const item = document.createElement('li');
  item.className = 'card';
  const img = document.createElement('img');
  img.src = URL.createObjectURL(file);
  img.alt = file.name;
  const body = document.createElement('div');
  body.className = 'body';
  const name = document.createElement('div');
  name.className = 'name';
  name.textContent = file.name;
  const label = document.createElement('div');
  label.className = 'label';
  label.textContent = 'classifying…';
  body.append(name, label);
  item.append(img, body);
  list.prepend(item);
  return { body, label };
}

function show(view, item) {
  if (item.status === 'done') {
    view.label.textContent = item.result.label + ' — ' + (item.result.confidence * 100).toFixed(1) + '%';
    for (const score of item.result.top5) {
      const row = document.createElement('div');
      row.className = 'bar';
      const name = document.createElement('span');
      name.textContent = score.label;
      const meter = document.createElement('meter');
      meter.min = 0; meter.max = 1; meter.value = score.confidence;
      const pct = document.createElement('span');
      pct.textContent = (score.confidence * 100).toFixed(1) + '%';
      row.append(name, meter, pct);
      view.body.append(row);
    }
  } else if (item.status === 'failed') {
    view.label.textContent = 'failed';
    view.label.classList.add('error');
    const reason = document.createElement('div');
    reason.textContent = item.error.message;
    view.body.append(reason);
  }
}

async function poll(view, item) {
  while (item.status === 'queued') {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const response = await fetch(item.url);
    if (response.ok) item = await response.json();
  }
  show(view, item);
}

async function upload(files) {
  if (files.length === 0) return;
  const views = files.map(card);
  const form = new FormData();
  for (const file of files) form.append('images', file, file.name);
  status.textContent = 'Uploading ' + files.length + ' image(s)…';
  try {
    const response = await fetch('/v1/classifications?wait=30', { method: 'POST', body: form });
    const body = await response.json();
    if (!response.ok && response.status !== 202) throw new Error(body.message || response.statusText);
    status.textContent = '';
    await Promise.all(body.items.map((item, i) => poll(views[i], item)));
  } catch (error) {
    status.textContent = 'Upload failed: ' + error.message;
    for (const view of views) { view.label.textContent = 'failed'; view.label.classList.add('error'); }
  }
}
`;
