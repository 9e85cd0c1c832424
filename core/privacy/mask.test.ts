import { describe, expect, it } from 'vitest';
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
  maySeePersonalData,
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
  it('shows personal data on screen to everyone but a viewer', () => {
    expect(maySeePersonalData('dispatcher', 'screen')).toBe(true);
    expect(maySeePersonalData('leader', 'screen')).toBe(true);
    expect(maySeePersonalData('department', 'screen')).toBe(true);
    expect(maySeePersonalData('viewer', 'screen')).toBe(false);
  });
  it('lets only a leader export it unmasked', () => {
    expect(maySeePersonalData('leader', 'export')).toBe(true);
    expect(maySeePersonalData('dispatcher', 'export')).toBe(false);
    expect(maySeePersonalData('viewer', 'export')).toBe(false);
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
  it('returns the event unchanged for a role that may see it', () => {
    expect(maskEvent(event, 'dispatcher')).toBe(event);
    expect(maskEvent(event, 'leader', 'export')).toBe(event);
  });
  it('masks reporter, address and numbers in texts for a viewer and for exports', () => {
    const masked = maskEvent(event, 'viewer');
    expect(masked.reporter).toEqual({ name: '张**', phone: '138****1234', idNumber: '430624********1234' });
    expect(masked.location).toEqual({ lon: 112.9, lat: 28.6, address: '幸福路**号*栋***' });
    expect(masked.title).toBe('居民138****1234反映噪音');
    expect(masked.description).toBe('来电人身份证430624********1234,住幸福路88号2栋301');
    expect(masked.history[0]?.note).toBe('回访电话138****1234');
    expect(masked.extensionRequest?.reason).toBe('联系138****1234未果');
    expect(maskEvent(event, 'dispatcher', 'export')).toEqual(masked);
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
    expect(maskPersonalData({ message: '网格430624103206005' })).toEqual({ message: '网格430624103206005' });
    expect(maskPersonalData(null)).toBeNull();
    expect(maskPersonalData('13812341234')).toBe('13812341234');
  });
});
