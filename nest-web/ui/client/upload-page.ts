import { hasKey, KeyPrompt, KeyRequiredError } from './api-key.js';
import { finished, submitImages } from './classification.js';
import { ModelChoice } from './model-choice.js';
import { ResultCard } from './result-card.js';

/** The upload page's script: choose or drop images, send them in one request, fill each card. */
const drop = required('drop', HTMLLabelElement);
const input = required('files', HTMLInputElement);
const list = required('results', HTMLUListElement);
const status = required('status', HTMLParagraphElement);
const keyPrompt = new KeyPrompt(required('key-form', HTMLFormElement), required('api-key', HTMLInputElement));
const modelChoice = new ModelChoice(required('model', HTMLSelectElement));
/** Settles once the model list is read (with a key, where the server asks for one): uploads wait for it. */
const ready = loadModels();

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

/**
 * Reads the model list before any upload, so that the chosen model is the one sent: a server that
 * asks for a key gets it first. The file field is off until then.
 */
async function loadModels(): Promise<void> {
  input.disabled = true;
  await withKey(() => modelChoice.load());
  input.disabled = false;
}

async function upload(files: File[]): Promise<void> {
  if (files.length === 0) return;
  await ready;
  const cards = files.map((file) => new ResultCard(list, file));
  status.textContent = `Uploading ${files.length} image(s)…`;
  try {
    // The list is read again first where the key it needed was given only now.
    const items = await withKey(async () => {
      await modelChoice.load();
      return submitImages(files, modelChoice.chosen);
    });
    status.textContent = '';
    await Promise.all(items.map(async (item, i) => cards[i]?.show(await finished(item))));
  } catch (error) {
    status.textContent = `Upload failed: ${error instanceof Error ? error.message : 'no answer'}`;
    for (const card of cards) card.fail();
  }
}

/** Runs a request; when the server asks for an API key, asks the user for one and runs it again. */
async function withKey<T>(request: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof KeyRequiredError)) throw error;
      const shown = status.textContent;
      status.textContent = hasKey() ? 'The API key was refused: enter another.' : 'This server asks for an API key.';
      await keyPrompt.ask();
      status.textContent = shown;
    }
  }
}

function required<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new TypeError(`the page lacks #${id}`);
  return node;
}
