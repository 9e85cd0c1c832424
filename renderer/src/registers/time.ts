// Times on the register screens: Asia/Shanghai, to the minute.
import { parseIso } from '../../../core/time/shanghai';

const FORMAT = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

export function formatShanghai(iso: string): string {
  return FORMAT.format(new Date(parseIso(iso)));
}
