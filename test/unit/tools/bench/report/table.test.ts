import { figure, percent, renderTable } from '#tools/bench/report/table.js';

describe('renderTable', () => {
  it('pads the first column to the left and the figures to the right, two spaces apart', () => {
    const text = renderTable([
      ['section', 'images/s', 'note'],
      ['bare', '149.2'],
      ['end to end', '64.0', 'x'],
    ]);

    expect(text.split('\n')).toEqual([
      'section     images/s  note',
      'bare           149.2',
      'end to end      64.0     x',
    ]);
  });
});

describe('figure and percent', () => {
  it.each([
    [12.345, 1, '12.3'],
    [0.4321, 2, '0.43'],
    [undefined, 1, '–'],
    [NaN, 1, '–'],
  ])('writes %p with %p decimals as %p', (value, digits, text) => {
    expect(figure(value, digits)).toBe(text);
  });

  it('writes a percentage, or n/a where nothing was checked', () => {
    expect(percent(85.5)).toBe('85.5%');
    expect(percent(undefined)).toBe('n/a');
  });
});
