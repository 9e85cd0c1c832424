import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random';
import type { GridEvent } from '../model';
import {
  maskAddress,
  maskEvent,
  maskEventData,
  maskIdNumber,
  maskName,
  maskPersonalData,
  maskPhone,
  maskReporter,
  maskText,
  maskLevel,
  maySeePersonalData,
  normaliseNumerals,
} from './mask';

describe('maskName', () => {
  it('keeps the surname and stars every other character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('黄明勇')).toBe('黄**');
    expect(maskName(' 李 ')).toBe('*');
  });
  it('keeps a compound surname of a longer name', () => {
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('诸葛亮')).toBe('诸葛*');
    // Two characters: the second is the given name, not half a surname.
    expect(maskName('欧阳')).toBe('欧*');
  });
  it('handles Latin names, blanks and masked names', () => {
    expect(maskName('John Smith')).toBe('J*** S****');
    expect(maskName('')).toBe('');
    expect(maskName('张*')).toBe('张*');
  });
});

describe('maskPhone', () => {
  it('masks the middle four digits of a mobile number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('+86 13812345678')).toBe('+86 138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
  });
  it('keeps the area code and last four of a landline', () => {
    expect(maskPhone('0539-3621002')).toBe('0539-***1002');
    expect(maskPhone('073188886666')).toBe('0731****6666');
    expect(maskPhone('3621002')).toBe('***1002');
    expect(maskPhone('110')).toBe('***');
  });
  it('leaves a masked or digitless value as it is', () => {
    expect(maskPhone('184****7899')).toBe('184****7899');
    expect(maskPhone('无')).toBe('无');
  });
});

describe('maskIdNumber', () => {
  it('keeps the region code and the last four of an 18-character number', () => {
    expect(maskIdNumber('430624199001011234')).toBe('430624********1234');
    expect(maskIdNumber('43062419900101123X')).toBe('430624********123X');
  });
  it('handles 15-digit, short, odd and masked numbers', () => {
    expect(maskIdNumber('430624900101123')).toBe('430624******123');
    expect(maskIdNumber('AB1234567')).toBe('*****4567');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('430624********1234')).toBe('430624********1234');
  });
});

describe('maskAddress', () => {
  it('hides door, building, unit and room numbers and keeps village and road', () => {
    expect(maskAddress('古培镇双凤村第五网格43号附近')).toBe('古培镇双凤村第五网格**号附近');
    expect(maskAddress('花桥村3组12号')).toBe('花桥村3组**号');
    expect(maskAddress('幸福路88号2栋3单元401室')).toBe('幸福路**号*栋*单元***室');
    expect(maskAddress('幸福路88号2栋301')).toBe('幸福路**号*栋***');
    expect(maskAddress('新街七号')).toBe('新街*号');
    expect(maskAddress('滨江小区3-2-401室')).toBe('滨江小区*-*-***室');
  });
  it('leaves an address without a house number untouched', () => {
    expect(maskAddress('古培镇花桥村村委会旁')).toBe('古培镇花桥村村委会旁');
    expect(maskAddress('')).toBe('');
  });
});

describe('maskText', () => {
  it('masks phone and ID numbers inside free text, not case codes or dates', () => {
    expect(maskText('联系电话13812341234,身份证430624199001011234')).toBe('联系电话138****1234,身份证430624********1234');
    expect(maskText('请拨0539-3621002')).toBe('请拨0539-***1002');
    expect(maskText('案件GP20261128-0042于2026-11-28上报')).toBe('案件GP20261128-0042于2026-11-28上报');
  });
});

describe('maskReporter', () => {
  it('masks every personal field and keeps a grid worker id', () => {
    expect(maskReporter({ name: '王小明', phone: '13912345678', idNumber: '430624198512120021', workerId: 'w-1' })).toEqual({
      name: '王**',
      phone: '139****5678',
      idNumber: '430624********0021',
      workerId: 'w-1',
    });
    expect(maskReporter({ name: '王小明' })).toEqual({ name: '王**' });
  });
});

describe('the role policy', () => {
  it('masks phone and ID numbers for every role; names and addresses only for the roles that do not work a case', () => {
    for (const role of ['dispatcher', 'leader', 'department', 'village'] as const) {
      expect(maskLevel(role, 'screen')).toBe('numbers');
      expect(maySeePersonalData(role, 'screen')).toBe(true);
    }
    for (const role of ['viewer', 'secretary', 'admin'] as const) {
      expect(maskLevel(role, 'screen')).toBe('all');
      expect(maySeePersonalData(role, 'screen')).toBe(false);
    }
  });
  it('masks everything in an export, whoever exports', () => {
    for (const role of ['leader', 'dispatcher', 'viewer'] as const) expect(maskLevel(role, 'export')).toBe('all');
  });
});

const event: GridEvent = {
  id: 'e1',
  code: 'GP20261128-0001',
  title: '居民13812341234反映噪音',
  description: '来电人身份证430624199001011234,住幸福路88号2栋301',
  category: '0101',
  status: 'reported',
  urgency: 'urgent',
  source: 'hotline',
  location: { lon: 112.9, lat: 28.6, address: '幸福路88号2栋301' },
  grid: '430624103201001',
  reportedAt: '2026-11-28T09:00:00+08:00',
  reporter: { name: '张三丰', phone: '13812341234', idNumber: '430624199001011234' },
  deadlines: {},
  assignee: null,
  history: [{ at: '2026-11-28T09:00:00+08:00', actor: 'hotline', action: 'event.create', note: '回访电话13812341234' }],
  tier: 'simple',
  selfHandled: false,
  suspendedFrom: null,
  reworkCount: 0,
  supervisionCount: 0,
  extensionRequest: { by: { value: 1, unit: 'workDays' }, reason: '联系13812341234未果', at: '2026-11-28T10:00:00+08:00', actor: 'd' },
  satisfaction: null,
  mergedInto: null,
  photos: [],
};

describe('maskEvent', () => {
  it('masks only phone and ID numbers for a role that works the case', () => {
    const masked = maskEvent(event, 'dispatcher');
    expect(masked.reporter).toEqual({ name: '张三丰', phone: '138****1234', idNumber: '430624********1234' });
    expect(masked.location.address).toBe('幸福路88号2栋301');
    expect(masked.title).toBe('居民138****1234反映噪音');
    expect(masked.description).toBe('来电人身份证430624********1234,住幸福路88号2栋301');
    expect(masked.history[0]?.note).toBe('回访电话138****1234');
    expect(masked.extensionRequest?.reason).toBe('联系138****1234未果');
    expect(maskEvent(event, 'village')).toEqual(masked);
    expect(JSON.stringify(masked)).not.toMatch(/1[3-9]\d{9}|\d{17}[\dXx]/);
  });
  it('masks reporter, address and numbers in texts, and drops photos, for a viewer and for exports', () => {
    const masked = maskEvent({ ...event, photos: ['p/1.jpg'] }, 'viewer');
    expect(masked.reporter).toEqual({ name: '张**', phone: '138****1234', idNumber: '430624********1234' });
    expect(masked.location).toEqual({ lon: 112.9, lat: 28.6, address: '幸福路**号*栋***' });
    expect(masked.title).toBe('居民138****1234反映噪音');
    expect(masked.description).toBe('来电人身份证430624********1234,住幸福路88号2栋301');
    expect(masked.history[0]?.note).toBe('回访电话138****1234');
    expect(masked.extensionRequest?.reason).toBe('联系138****1234未果');
    expect(masked.photos).toEqual([]);
    expect(maskEvent({ ...event, photos: ['p/1.jpg'] }, 'leader', 'export')).toEqual(masked);
    expect(maskEvent({ ...event, photos: ['p/1.jpg'] }, 'secretary')).toEqual(masked);
    // The input is not modified.
    expect(event.reporter?.phone).toBe('13812341234');
  });
  it('leaves no unmasked mobile or ID number anywhere in the event', () => {
    const json = JSON.stringify(maskEventData(event));
    expect(json).not.toMatch(/1[3-9]\d{9}/);
    expect(json).not.toMatch(/\d{17}[\dXx]/);
  });
  it("masks the reporter's own name where the texts repeat it", () => {
    const masked = maskEventData({ ...event, title: '张三丰来电反映噪音', history: [{ ...event.history[0]!, note: '张三丰再次来电' }] });
    expect(masked.title).toBe('张**来电反映噪音');
    expect(masked.history[0]?.note).toBe('张**再次来电');
    // A one-character name is not searched for: it would star ordinary words.
    expect(maskEventData({ ...event, reporter: { name: '张' }, title: '张家界' }).title).toBe('张家界');
  });
  it('keeps a null reporter and a null extension request', () => {
    const masked = maskEventData({ ...event, reporter: null, extensionRequest: null });
    expect(masked.reporter).toBeNull();
    expect(masked.extensionRequest).toBeNull();
  });
});

describe('maskPersonalData', () => {
  it('masks events wherever they sit in an answer', () => {
    const page = { items: [event, { ...event, id: 'e2', reporter: null }], total: 2 };
    const masked = maskPersonalData(page);
    expect(masked.total).toBe(2);
    expect(masked.items[0]).toEqual(maskEventData(event));
    expect(masked.items[1]?.reporter).toBeNull();
    expect(maskPersonalData([{ event, distanceM: 3 }])[0]?.event.reporter?.phone).toBe('138****1234');
  });
  it('walks fields an event gains beyond the model', () => {
    const masked = maskPersonalData({ ...event, contact: { phone: '13912345678' } });
    expect(masked.contact.phone).toBe('139****5678');
  });
  it('masks by field name: phone, idNumber, address, reporter and free texts', () => {
    const args = {
      name: 'event.create',
      args: { reporter: { name: '李四', phone: '13700001111', extra: { idNumber: '430624199001011234' } }, location: { lon: 1, lat: 2, address: '新街7号' }, note: '电话13700001111' },
    };
    expect(maskPersonalData(args)).toEqual({
      name: 'event.create',
      args: { reporter: { name: '李*', phone: '137****1111', extra: { idNumber: '430624********1234' } }, location: { lon: 1, lat: 2, address: '新街*号' }, note: '电话137****1111' },
    });
    // Grid codes (15 digits), staff names and other strings stay as they are.
    const worker = { id: 'w-1', name: '刘德明', grids: ['430624103206005'], phone: '13600002222', onDuty: true };
    expect(maskPersonalData(worker)).toEqual({ ...worker, phone: '136****2222' });
    // A staff phone is the work's own: kept for the roles that work a case.
    expect(maskPersonalData(worker, 'numbers')).toEqual(worker);
    expect(maskPersonalData({ message: '网格430624103206005' })).toEqual({ message: '网格430624103206005' });
    expect(maskPersonalData(null)).toBeNull();
    expect(maskPersonalData('13812341234')).toBe('13812341234');
  });
});

describe('masking for the roles that work a case (level numbers)', () => {
  it('keeps reporter names and addresses, masks the numbers wherever they sit', () => {
    const args = { reporter: { name: '李四', phone: '13700001111', idNumber: '430624199001011234' }, location: { address: '新街7号，电话13700001111' }, photos: ['p/1.jpg'] };
    expect(maskPersonalData(args, 'numbers')).toEqual({
      reporter: { name: '李四', phone: '137****1111', idNumber: '430624********1234' },
      location: { address: '新街7号，电话137****1111' },
      photos: ['p/1.jpg'],
    });
    expect(maskPersonalData({ items: [event] }, 'numbers').items[0]?.reporter?.name).toBe('张三丰');
  });
});

describe('numbers in their written forms (normalised first)', () => {
  it('reads full-width digits, X and separators as the plain number', () => {
    expect(normaliseNumerals('１３８－１２３４．１２３４　Ｘ')).toBe('138-1234.1234 X');
    expect(normaliseNumerals('三号楼')).toBe('三号楼');
  });
  it('masks a mobile number written with full-width digits, dots, spaces or dashes', () => {
    for (const written of ['１３８１２３４１２３４', '138.1234.1234', '138 1234 1234', '138-1234-1234', '１３８－１２３４－１２３４', '138．1234．1234']) {
      expect(maskPhone(written)).toBe('138****1234');
      expect(maskText(`请回电${written}谢谢`)).toBe('请回电138****1234谢谢');
    }
  });
  it('masks an 18-character ID number with full-width digits or a full-width X, also in groups', () => {
    for (const written of ['４３０６２４１９９００１０１１２３Ｘ', '43062419900101123Ｘ', '430624 19900101 123X', '４３０６２４１９９００１０１１２３ｘ']) {
      expect(maskIdNumber(written)).toMatch(/^430624\*{8}123[Xx]$/);
      expect(maskText(`身份证${written}。`)).toMatch(/^身份证430624\*{8}123[Xx]。$/);
    }
  });
  it('masks a number typed right after a date or a clock time, and still leaves codes alone', () => {
    expect(maskText('2026-11-2813590964678')).toBe('2026-11-28135****4678');
    expect(maskText('记录2026/1/513590964678来电')).toBe('记录2026/1/5135****4678来电');
    expect(maskText('２０２６．１１．２８４３０６２４１９９００１０１１２３４')).toBe('２０２６．１１．２８430624********1234');
    expect(maskText('时间08:0513590964678，')).toBe('时间08:05135****4678，');
    expect(maskText('12:30:4513590964678')).toBe('12:30:45135****4678');
    // A run longer than a date's day before the number is a code or another number: not split.
    expect(maskText('事件编码202611280001351234567890')).toBe('事件编码202611280001351234567890');
    expect(maskText('33010000120261128135909646781')).toBe('33010000120261128135909646781');
    expect(maskText('2026-11-28135909646781')).toBe('2026-11-28135909646781');
  });
  it('leaves full-width digits that are not a number to hide as they are', () => {
    expect(maskText('３号楼２单元，２０２６年１１月')).toBe('３号楼２单元，２０２６年１１月');
  });
});

// Property tests over generated numbers (fast-check is not a dependency of the project):
// a seeded generator writes each number in a random form inside random text, and the
// masked text must never hold it in any form.
describe('masking, as properties over generated numbers', () => {
  const rng = seededRandom;

  const random = rng(20261203);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const digit = (): string => String(Math.floor(random() * 10));
  const wide = (text: string): string => [...text].map((c) => (random() < 0.5 && /[\dX]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
  const SEPS = ['', '', ' ', '.', '-', '－', '．', '　'];
  const FILLER = ['来电反映', '，', '请回电', '住址', '。', ' ', '电话：', '身份证号', 'abc', '（', '）'];
  const filler = (): string => Array.from({ length: Math.floor(random() * 3) }, () => pick(FILLER)).join('');

  it('no generated mobile or ID number survives maskText, in any written form', () => {
    for (let i = 0; i < 500; i++) {
      const mobile = `1${pick(['3', '5', '7', '8', '9'])}${digit()}${Array.from({ length: 8 }, digit).join('')}`;
      const id = `${Array.from({ length: 17 }, digit).join('')}${pick(['X', digit()])}`;
      const sep = pick(SEPS);
      const writtenMobile = wide(`${mobile.slice(0, 3)}${sep}${mobile.slice(3, 7)}${sep}${mobile.slice(7)}`);
      const writtenId = wide(random() < 0.5 ? id : `${id.slice(0, 6)}${sep}${id.slice(6, 14)}${sep}${id.slice(14)}`);
      // Two numbers glued together read as one longer number: some non-digit stands between them, as it does in a note.
      // A date or a clock time may stand right before either, as in a note typed without a space.
      const stamp = (): string => pick(['', '', '2026-11-28', '10:30', '08:05:09']);
      const text = `${filler()}${stamp()}${writtenMobile}${filler() || '，'}${stamp()}${writtenId}${filler()}`;
      const plain = normaliseNumerals(maskText(text)).replace(/[\s.-]/g, '');
      expect(plain, text).not.toContain(mobile);
      expect(plain, text).not.toContain(id);
      expect(plain, text).toContain(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
      expect(plain, text).toContain(`${id.slice(0, 6)}********${id.slice(14)}`);
    }
  });

  it('maskPhone and maskIdNumber keep only the prefix and the last four, whatever the form', () => {
    for (let i = 0; i < 300; i++) {
      const mobile = `1${pick(['3', '8', '9'])}${Array.from({ length: 9 }, digit).join('')}`;
      const sep = pick(SEPS);
      expect(maskPhone(wide(`${mobile.slice(0, 3)}${sep}${mobile.slice(3, 7)}${sep}${mobile.slice(7)}`))).toBe(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
      const id = `${Array.from({ length: 17 }, digit).join('')}${pick(['X', digit()])}`;
      expect(maskIdNumber(wide(id))).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
    }
  });

  it('masking is idempotent and leaves digit-free text untouched', () => {
    for (let i = 0; i < 200; i++) {
      const text = `${filler()}${wide(`1${pick(['3', '9'])}${Array.from({ length: 9 }, digit).join('')}`)}${filler()}`;
      const once = maskText(text);
      expect(maskText(once)).toBe(once);
      const plain = filler();
      expect(maskText(plain)).toBe(plain);
    }
  });
});
