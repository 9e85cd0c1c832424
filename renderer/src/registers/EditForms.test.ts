// The person form's own checks before it sends: masked values left as shown pass, typed
// anew with `*` they are refused; a typed ID number's GB 11643 check character.
import { describe, expect, it } from 'vitest';
import { makeIdNumber, SYNTHETIC_REGION } from '../../../core/registers/id-number';
import { personFormErrors } from './EditForms';

const ID = makeIdNumber(SYNTHETIC_REGION, '19900101', 21);
const shown = { idNumber: '990624********0210', phone: '199****5678' };

describe('personFormErrors', () => {
  it('passes masked values left as shown and a valid typed number', () => {
    expect(personFormErrors({ name: '测试甲', ...shown }, shown)).toEqual([]);
    expect(personFormErrors({ name: '测试甲', idNumber: ID, phone: '13800001111' }, shown)).toEqual([]);
  });
  it('refuses a masked value typed anew, a wrong check character, an empty name', () => {
    expect(personFormErrors({ name: '', idNumber: '990624********9999', phone: '138****0000' }, shown)).toEqual(['请填写姓名', '身份证号不完整(含 *),请填写完整的身份证号', '电话号码不完整(含 *),请填写完整的电话号码']);
    const wrong = ID.slice(0, 17) + (ID.endsWith('0') ? '1' : '0');
    expect(personFormErrors({ name: '测试甲', idNumber: wrong, phone: '' })).toEqual(['身份证号校验位错误(GB 11643)']);
  });
});
