// The keys of the console, from the same table the key handler reads.
import { useEffect, useRef } from 'react';
import { SHORTCUTS } from './keyboard';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement | null>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal help" role="dialog" aria-modal="true" aria-label="键盘快捷键">
        <h3>键盘快捷键</h3>
        <table className="help-table">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.action}>
                <td>
                  {s.keys.map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">在输入框中打字时快捷键不生效；按 Esc 离开输入框。Tab 键可在所有按钮和输入框之间移动。</p>
        <div className="modal-buttons">
          <button
            ref={closeRef}
            type="button"
            className="btn btn-primary"
            onClick={onClose}
            onKeyDown={(e) => {
              if (e.key === 'Escape' || e.key === '?') {
                e.preventDefault();
                e.stopPropagation();
                onClose();
              }
            }}
          >
            关闭
          </button>
        </div>
      </div>
    </div>
  );
}
