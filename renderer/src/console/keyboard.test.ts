import { describe, expect, it } from 'vitest';
import { SHORTCUTS, cursorTarget, isTypingTarget, keyAction } from './keyboard';

describe('console keys', () => {
  it('maps j/k, arrows, Enter, a, d, c, /, ? and Escape', () => {
    const keys = ['j', 'ArrowDown', 'k', 'ArrowUp', 'Enter', 'a', 'd', 'c', '/', '?', 'Escape', 'n', 'x'];
    expect(keys.map((key) => keyAction({ key }))).toEqual(['down', 'down', 'up', 'up', 'open', 'accept', 'dispatch', 'close', 'search', 'help', 'escape', 'intake', null]);
    expect(keyAction({ key: 'c', ctrlKey: true })).toBeNull();
  });

  it('lists every action on the help overlay', () => {
    const listed = new Set(SHORTCUTS.map((s) => s.action));
    for (const action of ['down', 'up', 'open', 'accept', 'dispatch', 'close', 'search', 'help', 'escape']) expect(listed.has(action as never)).toBe(true);
  });

  it('leaves keys alone while the dispatcher types', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' } as never)).toBe(true);
    expect(isTypingTarget({ tagName: 'input', type: 'checkbox' } as never)).toBe(false);
    expect(isTypingTarget({ tagName: 'TEXTAREA' } as never)).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true } as never)).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' } as never)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('cursor keys', () => {
  it('moves down, up, to the first and to the last row; other keys do not move', () => {
    expect(cursorTarget('down', 3, 10)).toBe(4);
    expect(cursorTarget('up', 3, 10)).toBe(2);
    expect(cursorTarget('first', 3, 10)).toBe(0);
    expect(cursorTarget('last', 3, 10)).toBe(9);
    expect(cursorTarget('open', 3, 10)).toBeNull();
    expect(cursorTarget('accept', 3, 10)).toBeNull();
  });
});
