// The registers' entry in a screen's top bar: 登记台账 opens the registers (a grid's
// profile, search, the week's visits) over the screen, for the roles that may read them.
import { useState } from 'react';
import { useSession } from '../session/context';
import { RegistersScreen } from './RegistersScreen';
import './registers.css';

export function RegistersButton() {
  const { may } = useSession();
  const [open, setOpen] = useState(false);
  if (!may('registers.search')) return null;
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        登记台账
      </button>
      {open && (
        <div className="modal-backdrop" role="presentation" onClick={(e) => e.target === e.currentTarget && setOpen(false)}>
          <div className="modal modal-wide reg-screen" role="dialog" aria-label="登记台账">
            <RegistersScreen onClose={() => setOpen(false)} />
          </div>
        </div>
      )}
    </>
  );
}
