import type { ClassScore, FinishedItem } from './classification.js';

/** The card of one image: its preview and name while classifying, then its label or failure. */
export class ResultCard {
  private readonly body = element('div', 'body');
  private readonly label = element('div', 'label', 'classifying…');

  constructor(list: HTMLElement, file: File) {
    const item = element('li', 'card');
    const preview = document.createElement('img');
    preview.src = URL.createObjectURL(file);
    preview.alt = file.name;
    this.body.append(element('div', 'name', file.name), this.label);
    item.append(preview, this.body);
    list.prepend(item);
  }

  show(item: FinishedItem): void {
    if (item.status === 'done') {
      this.label.textContent = `${item.result.label} — ${percent(item.result.confidence)}`;
      this.body.append(...item.result.top5.map(scoreBar), element('div', 'model', item.model));
    } else {
      this.fail();
      this.body.append(element('div', 'reason', item.error.message));
    }
  }

  fail(): void {
    this.label.textContent = 'failed';
    this.label.classList.add('error');
  }
}

function scoreBar(score: ClassScore): HTMLElement {
  const meter = document.createElement('meter');
  meter.min = 0;
  meter.max = 1;
  meter.value = score.confidence;
  const row = element('div', 'bar');
  row.append(element('span', '', score.label), meter, element('span', '', percent(score.confidence)));
  return row;
}

function element(tag: 'div' | 'li' | 'span', className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function percent(confidence: number): string {
  return `${(confidence * 100).toFixed(1)}%`;
}
