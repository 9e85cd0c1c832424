// The console's keys: one table that both the key handler and the help overlay read.

export type KeyAction = 'down' | 'up' | 'open' | 'accept' | 'dispatch' | 'close' | 'search' | 'help' | 'escape' | 'intake' | 'first' | 'last';

export interface Shortcut {
  keys: string[];
  action: KeyAction;
  label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['j', '↓'], action: 'down', label: '下一条事件' },
  { keys: ['k', '↑'], action: 'up', label: '上一条事件' },
  { keys: ['Home', 'End'], action: 'first', label: '第一条 / 最后一条' },
  { keys: ['Enter'], action: 'open', label: '打开事件' },
  { keys: ['a'], action: 'accept', label: '受理' },
  { keys: ['d'], action: 'dispatch', label: '派遣（默认选中推荐的第一名网格员）' },
  { keys: ['c'], action: 'close', label: '结案' },
  { keys: ['n'], action: 'intake', label: '手工登记新事件' },
  { keys: ['/'], action: 'search', label: '搜索' },
  { keys: ['?'], action: 'help', label: '显示 / 隐藏快捷键' },
  { keys: ['Esc'], action: 'escape', label: '关闭对话框' },
];

/** The action of a key press, or null. Modifier combinations belong to the browser. */
export function keyAction(e: { key: string; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean }): KeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'j':
    case 'ArrowDown':
      return 'down';
    case 'k':
    case 'ArrowUp':
      return 'up';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Enter':
      return 'open';
    case 'a':
      return 'accept';
    case 'd':
      return 'dispatch';
    case 'c':
      return 'close';
    case 'n':
      return 'intake';
    case '/':
      return 'search';
    case '?':
      return 'help';
    case 'Escape':
      return 'escape';
    default:
      return null;
  }
}

/** Typing in a field must not move the queue: only Escape leaves a field. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable === true) return true;
  if (tag !== 'INPUT') return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes((el.type ?? 'text').toLowerCase());
}

/** Where a movement key takes the cursor (before it is kept within the list), or null for a key that does not move it. */
export function cursorTarget(action: KeyAction, cursor: number, total: number): number | null {
  switch (action) {
    case 'down':
      return cursor + 1;
    case 'up':
      return cursor - 1;
    case 'first':
      return 0;
    case 'last':
      return total - 1;
    default:
      return null;
  }
}
