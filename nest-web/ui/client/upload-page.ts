import { hasKey, KeyPrompt, KeyRequiredError } from './api-key.js';
import { finished, submitImages, type ClassificationItem } from './classification.js';
import { ModelChoice } from './model-choice.js';
import { ResultCard } from './result-card.js';

/** The upload page's script: choose or drop images, send them in one request, fill each card. */
const drop = required('drop', HTMLLabelElement);
const input = required('files', HTMLInputElement);
const list = required('results', HTMLUListElement);
const status = required('status', HTMLParagraphElement);
const keyPrompt = new KeyPrompt(required('key-form', HTMLFormElement), required('api-key', HTMLInputElement));
const modelChoice = new ModelChoice(required('model', HTMLSelectElement));
void modelChoice.load();

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
    const items = await submitWithKey(files);
    status.textContent = '';
    await Promise.all(items.map(async (item, i) => cards[i]?.show(await finished(item))));
  } catch (error) {
    status.textContent = `Upload failed: ${error instanceof Error ? error.message : 'no answer'}`;
    for (const card of cards) card.fail();
  }
}

/** Sends the images; when the server asks for an API key, asks the user for one and sends them again. */
async function submitWithKey(files: File[]): Promise<ClassificationItem[]> {
  for (;;) {
    try {
      return await submitImages(files, modelChoice.chosen);
    } catch (error) {
      if (!(error instanceof KeyRequiredError)) throw error;
      status.textContent = hasKey() ? 'The API key was refused: enter another.' : 'This server asks for an API key.';
      await keyPrompt.ask();
      // With a key the list of models can be read now: the choice applies from the next upload.
      void modelChoice.load();
      status.textContent = `Uploading ${files.length} image(s)…`;
    }
  }
}

function required<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new TypeError(`the page lacks #${id}`);
  return node;
}
