import { finished, submitImages } from './classification.js';
import { ResultCard } from './result-card.js';

/** The upload page's script: choose or drop images, send them in one request, fill each card. */
const drop = required('drop', HTMLLabelElement);
const input = required('files', HTMLInputElement);
const list = required('results', HTMLUListElement);
const status = required('status', HTMLParagraphElement);

input.addEventListener('change', () => void upload([...(input.files ?? [])]));
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const files = [...(event.dataTransfer?.files ?? [])];
  void upload(files.filter((file) => file.type.startsWith('image/')));
});

async function upload(files: File[]): Promise<void> {
  if (files.length === 0) return;
  const cards = files.map((file) => new ResultCard(list, file));
  status.textContent = `Uploading ${files.length} image(s)…`;
  try {
    const items = await submitImages(files);
    status.textContent = '';
    await Promise.all(items.map(async (item, i) => cards[i]?.show(await finished(item))));
  } catch (error) {
    status.textContent = `Upload failed: ${error instanceof Error ? error.message : 'no answer'}`;
    for (const card of cards) card.fail();
  }
}

function required<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new TypeError(`the page lacks #${id}`);
  return node;
}
