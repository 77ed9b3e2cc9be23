/** Where this tab keeps the API key its user gave: sessionStorage, so it goes when the tab closes. */
const STORAGE_KEY = 'glimpse.apiKey';

/** The server answered 401: it asks for an API key, and the request carried none it accepts. */
export class KeyRequiredError extends Error {
  override readonly name = 'KeyRequiredError';
}

/** The headers that carry this tab's API key, if it has one. */
export function keyHeaders(): Record<string, string> {
  const key = sessionStorage.getItem(STORAGE_KEY);
  return key ? { 'X-Api-Key': key } : {};
}

/** Whether the user gave a key in this tab (then a 401 means the key was refused). */
export function hasKey(): boolean {
  return sessionStorage.getItem(STORAGE_KEY) !== null;
}

export function rememberKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

/** The page's API-key field: hidden until the server asks for a key. */
export class KeyPrompt {
  constructor(
    private readonly form: HTMLFormElement,
    private readonly input: HTMLInputElement,
  ) {}

  /** Shows the field; resolves once the user submits a key, which is then remembered for this tab. */
  ask(): Promise<void> {
    this.form.hidden = false;
    this.input.value = '';
    this.input.focus();
    return new Promise((resolve) => {
      this.form.addEventListener(
        'submit',
        (event) => {
          event.preventDefault();
          rememberKey(this.input.value.trim());
          this.form.hidden = true;
          resolve();
        },
        { once: true },
      );
    });
  }
}
