import { KeyRequiredError, keyHeaders } from './api-key.js';

/** A model as `GET /v1/models` lists it: the fields this page reads. */
interface ListedModel {
  readonly name: string;
  readonly default: boolean;
  readonly available: boolean;
  readonly reason?: string;
  readonly version?: string;
}

/**
 * The page's model menu, filled from `GET /v1/models`: the available models, the default chosen;
 * an unavailable one is listed but cannot be chosen, its reason as its tooltip. A server that asks
 * for a key answers the list with 401 until one is given: {@link load} then throws
 * KeyRequiredError, for the page to ask for the key and load again before it takes uploads.
 */
export class ModelChoice {
  private loaded = false;

  constructor(private readonly select: HTMLSelectElement) {}

  /** The chosen model, or undefined for the server's default. */
  get chosen(): string | undefined {
    return this.loaded && this.select.value ? this.select.value : undefined;
  }

  /**
   * Reads the served models once (again after a failure). Throws KeyRequiredError on a 401; any
   * other failure (no answer, a server error) leaves the menu at the default.
   */
  async load(): Promise<void> {
    if (this.loaded) return;
    const response = await fetch('/v1/models', { headers: keyHeaders() }).catch(() => undefined);
    if (response?.status === 401) throw new KeyRequiredError('this server asks for an API key');
    if (!response?.ok) return;
    const { models } = (await response.json()) as { models: ListedModel[] };
    this.select.replaceChildren(...models.map(option));
    this.loaded = true;
  }
}

function option(model: ListedModel): HTMLOptionElement {
  const text = `${model.name}${model.version ? ` (v${model.version})` : ''}${model.available ? '' : ' — unavailable'}`;
  const item = new Option(text, model.name, model.default, model.default);
  item.disabled = !model.available;
  if (model.reason) item.title = model.reason;
  return item;
}
