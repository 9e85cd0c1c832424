// The town's edit forms of the registers (registers.*.save): a person (from the person's
// card, or a new member from the house's card), a house and an organisation (new, from the
// grid's profile; a house also from its card, an organisation from the search's list). Masked fields come prefilled as the screen
// shows them: left as they are, the service keeps the stored value; typed anew, they are
// checked here first (GB 11643, the phone's form) and again by the service, whose refusal
// is shown as it says. Only for the roles that may edit (the dispatcher, the village).
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ArgsOf, ResultOf } from '../../../core/api/contract';
import { ID_PROBLEM_LABELS, idNumberProblem } from '../../../core/registers/id-number';
import { POOL_CODES, SPECIAL_GROUP_CODES, type Pool, type SpecialGroup } from '../../../core/registers/types';
import { useApi } from '../platform/context';
import { useSession } from '../session/context';
import { errorText } from '../console/data';
import { GridPicker } from './GridPicker';
import { ORG_KIND_LABELS, RESIDENCE_LABELS, groupLabel, poolLabel } from './labels';

type PersonView = ResultOf<'registers.person'>['person'];
type HouseView = ResultOf<'registers.house'>['house'];

const PHONE = /^$|^[+\d][\d\s()-]{2,31}$/;

/** A masked field's problem: unchanged (as shown) is fine; any other value with `*` is incomplete. */
function maskedProblem(value: string, shown: string | undefined, label: string): string | null {
  if (!value.includes('*')) return null;
  return value === shown ? null : `${label}不完整(含 *),请填写完整的${label}`;
}

/** The person form's problems before it is sent (the service checks again). */
export function personFormErrors(f: { name: string; idNumber: string; phone: string }, shown?: { idNumber: string; phone: string }): string[] {
  const errors: string[] = [];
  if (f.name.trim() === '') errors.push('请填写姓名');
  const id = f.idNumber.trim();
  const idMasked = maskedProblem(id, shown?.idNumber, '身份证号');
  if (id === '') errors.push('请填写身份证号');
  else if (idMasked) errors.push(idMasked);
  else if (!id.includes('*')) {
    const problem = idNumberProblem(id);
    if (problem) errors.push(ID_PROBLEM_LABELS[problem]);
  }
  const phone = f.phone.trim();
  const phoneMasked = maskedProblem(phone, shown?.phone, '电话号码');
  if (phoneMasked) errors.push(phoneMasked);
  else if (!phone.includes('*') && !PHONE.test(phone)) errors.push('电话号码格式不正确');
  return errors;
}

/** A form's frame: its fields, 保存 / 取消, the errors; sends `save` and reports the saved id. */
function EditForm({ label, errors, save, onDone, onCancel, children }: { label: string; errors: () => string[]; save: () => Promise<{ id: string }>; onDone: (id: string) => void; onCancel: () => void; children: ReactNode }) {
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const found = errors();
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      onDone((await save()).id);
    } catch (err) {
      setProblems([errorText(err)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="reg-edit-form" onSubmit={(e) => void submit(e)} aria-label={label}>
      <h4>{label}</h4>
      {children}
      <div className="reg-edit-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          保存
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          取消
        </button>
      </div>
      {problems.length > 0 && (
        <ul className="error" role="alert" data-testid="reg-edit-errors">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </form>
  );
}

function Text({ label, value, onChange, max = 200 }: { label: string; value: string; onChange: (v: string) => void; max?: number }) {
  return (
    <label>
      {label}
      <input value={value} onChange={(e) => onChange(e.target.value)} aria-label={label} maxLength={max} />
    </label>
  );
}

function Checks<K extends string>({ label, all, value, onChange, text }: { label: string; all: readonly K[]; value: readonly K[]; onChange: (v: K[]) => void; text: (k: K) => string }) {
  return (
    <fieldset>
      <legend>{label}</legend>
      {all.map((k) => (
        <label key={k}>
          <input type="checkbox" checked={value.includes(k)} onChange={(e) => onChange(e.target.checked ? [...value, k] : value.filter((x) => x !== k))} />
          {text(k)}
        </label>
      ))}
    </fieldset>
  );
}

/** May the caller edit the registers? */
export function useMayEdit(): boolean {
  return useSession().may('registers.person.save');
}

export function PersonForm({ person, house, onDone, onCancel }: { person?: PersonView; house: string; onDone: (id: string) => void; onCancel: () => void }) {
  const api = useApi();
  const [name, setName] = useState(person?.name ?? '');
  const [idNumber, setIdNumber] = useState(person?.idNumber ?? '');
  const [phone, setPhone] = useState(person?.phone ?? '');
  const [gender, setGender] = useState<'M' | 'F' | ''>(person?.gender ?? '');
  const [residence, setResidence] = useState<'registered' | 'floating'>(person?.residence ?? 'registered');
  const [tags, setTags] = useState<SpecialGroup[]>(person?.tags ?? []);
  const [pools, setPools] = useState<Pool[]>(person?.pools ?? []);
  const args: ArgsOf<'registers.person.save'> = { ...(person ? { id: person.id } : {}), name, idNumber, phone, residence, house, tags, pools, ...(gender ? { gender } : {}) };
  return (
    <EditForm
      label={person ? '编辑人员' : '新增住户成员'}
      errors={() => personFormErrors({ name, idNumber, phone }, person)}
      save={() => api.call('registers.person.save', args)}
      onDone={onDone}
      onCancel={onCancel}
    >
      <Text label="姓名" value={name} onChange={setName} max={50} />
      <Text label="身份证号" value={idNumber} onChange={setIdNumber} max={32} />
      <Text label="联系电话" value={phone} onChange={setPhone} max={32} />
      <label>
        性别
        <select value={gender} onChange={(e) => setGender(e.target.value as 'M' | 'F' | '')} aria-label="性别">
          <option value="">未填</option>
          <option value="M">男</option>
          <option value="F">女</option>
        </select>
      </label>
      <label>
        人口类别
        <select value={residence} onChange={(e) => setResidence(e.target.value as 'registered' | 'floating')} aria-label="人口类别">
          {(['registered', 'floating'] as const).map((r) => (
            <option key={r} value={r}>
              {RESIDENCE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <Checks label="特殊人群" all={SPECIAL_GROUP_CODES} value={tags} onChange={setTags} text={groupLabel} />
      <Checks label="三库" all={POOL_CODES} value={pools} onChange={setPools} text={poolLabel} />
    </EditForm>
  );
}

/** Longitude and latitude as typed: both empty (no point), or both numbers. */
function pointOf(lon: string, lat: string): { lon: number; lat: number } | null | 'bad' {
  if (lon.trim() === '' && lat.trim() === '') return null;
  const p = { lon: Number(lon), lat: Number(lat) };
  return lon.trim() === '' || lat.trim() === '' || !Number.isFinite(p.lon) || !Number.isFinite(p.lat) ? 'bad' : p;
}

function Place({ grid, setGrid, lon, setLon, lat, setLat }: { grid: string; setGrid: (g: string) => void; lon: string; setLon: (v: string) => void; lat: string; setLat: (v: string) => void }) {
  return (
    <>
      <GridPicker value={grid} onChange={setGrid} />
      <Text label="经度" value={lon} onChange={setLon} max={20} />
      <Text label="纬度" value={lat} onChange={setLat} max={20} />
    </>
  );
}

const placeErrors = (grid: string, point: ReturnType<typeof pointOf>): string[] => [...(grid === '' ? ['请选择网格'] : []), ...(point === 'bad' ? ['经纬度应同时填写且为数字(或都不填)'] : [])];

export function HouseForm({ house, grid: initialGrid, onDone, onCancel }: { house?: HouseView; grid: string; onDone: (id: string) => void; onCancel: () => void }) {
  const api = useApi();
  const [address, setAddress] = useState(house?.address ?? '');
  const [grid, setGrid] = useState(house?.grid ?? initialGrid);
  const [lon, setLon] = useState(house?.location ? String(house.location.lon) : '');
  const [lat, setLat] = useState(house?.location ? String(house.location.lat) : '');
  const [use, setUse] = useState<'residential' | 'commercial' | 'mixed'>(house?.use ?? 'residential');
  const point = pointOf(lon, lat);
  const errors = (): string[] => [...(address.trim() === '' ? ['请填写地址'] : []), ...[maskedProblem(address.trim(), house?.address, '地址')].filter((x) => x !== null), ...placeErrors(grid, point)];
  return (
    <EditForm
      label={house ? '编辑房屋' : '新增房屋'}
      errors={errors}
      save={() => api.call('registers.house.save', { ...(house ? { id: house.id } : {}), address, grid, location: point === 'bad' ? null : point, use })}
      onDone={onDone}
      onCancel={onCancel}
    >
      <Text label="地址" value={address} onChange={setAddress} />
      <Place grid={grid} setGrid={setGrid} lon={lon} setLon={setLon} lat={lat} setLat={setLat} />
      <label>
        用途
        <select value={use} onChange={(e) => setUse(e.target.value as typeof use)} aria-label="用途">
          <option value="residential">住宅</option>
          <option value="commercial">商用</option>
          <option value="mixed">商住</option>
        </select>
      </label>
    </EditForm>
  );
}

type OrganisationView = ResultOf<'registers.search'>['organisations'][number];

export function OrganisationForm({ organisation: o, grid: initialGrid, onDone, onCancel }: { organisation?: OrganisationView; grid: string; onDone: (id: string) => void; onCancel: () => void }) {
  const api = useApi();
  const [name, setName] = useState(o?.name ?? '');
  const [kind, setKind] = useState<'unit' | 'enterprise'>(o?.kind ?? 'unit');
  const [address, setAddress] = useState(o?.address ?? '');
  const [grid, setGrid] = useState(o?.grid ?? initialGrid);
  const [lon, setLon] = useState(o?.location ? String(o.location.lon) : '');
  const [lat, setLat] = useState(o?.location ? String(o.location.lat) : '');
  const [contact, setContact] = useState(o?.contact ?? '');
  const [phone, setPhone] = useState(o?.phone ?? '');
  const point = pointOf(lon, lat);
  const masked = [maskedProblem(contact.trim(), o?.contact, '联系人'), maskedProblem(phone.trim(), o?.phone, '电话号码')].filter((x) => x !== null);
  const phoneBad = !phone.includes('*') && !PHONE.test(phone.trim());
  const errors = (): string[] => [...(name.trim() === '' ? ['请填写名称'] : []), ...masked, ...(phoneBad ? ['电话号码格式不正确'] : []), ...placeErrors(grid, point)];
  return (
    <EditForm
      label={o ? '编辑单位' : '新增单位'}
      errors={errors}
      save={() => api.call('registers.organisation.save', { ...(o ? { id: o.id } : {}), name, kind, address, grid, location: point === 'bad' ? null : point, contact, phone })}
      onDone={onDone}
      onCancel={onCancel}
    >
      <Text label="名称" value={name} onChange={setName} />
      <label>
        类型
        <select value={kind} onChange={(e) => setKind(e.target.value as 'unit' | 'enterprise')} aria-label="类型">
          {(['unit', 'enterprise'] as const).map((k) => (
            <option key={k} value={k}>
              {ORG_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <Text label="地址" value={address} onChange={setAddress} />
      <Place grid={grid} setGrid={setGrid} lon={lon} setLon={setLon} lat={lat} setLat={setLat} />
      <Text label="联系人" value={contact} onChange={setContact} max={50} />
      <Text label="联系电话" value={phone} onChange={setPhone} max={32} />
    </EditForm>
  );
}

export { EditForm, Text };
