// Synthetic grid staff for the demo data. Names are drawn from common surnames
// and given-name characters, phone numbers from ordinary mobile prefixes: none of
// them belongs to a real person on purpose. The real leaders the seed names are
// deliberately not used.
import type { Grid, Worker, WorkerRole } from '../../core/model';
import type { Rng } from './random';

// Weighted towards surnames common in Hunan (刘, 李, 周, 易, 彭 …).
const SURNAMES = [...'刘李周易彭陈王张黄杨胡罗邓谭曾汤何吴赵徐孙朱高林郑谢唐许冯蒋蔡余杜叶程苏魏吕丁任沈姚卢姜钟廖贺龙毛向袁文', '欧阳'];
const GIVEN = [...'建国军华明平伟勇强杰涛斌超波辉刚健峰磊鹏飞亮俊志浩宇凯文武红英芳丽娟敏静燕霞玲兰桂秀琴艳萍慧婷雪梅春秋晓雨佳欣怡思嘉乐安宁新利德永长海清水湘岳'];

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '173', '177', '180', '181', '186', '187', '188', '189', '199'];

/** Chinese numeral for 1..9999, as in 第十二网格. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new RangeError(`chineseNumber: ${n}`);
  const digits = '零一二三四五六七八九';
  const units = ['', '十', '百', '千'];
  const parts = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  parts.forEach((d, k) => {
    const unit = units[parts.length - 1 - k]!;
    if (d === 0) {
      zero = true;
      return;
    }
    if (zero && out) out += '零';
    zero = false;
    out += digits[d]! + unit;
  });
  // 一十二 is written 十二.
  return out.startsWith('一十') ? out.slice(1) : out;
}

/** Draws names and phone numbers, each unique within one generator. */
export class PeopleFactory {
  private readonly names = new Set<string>();
  private readonly phones = new Set<string>();
  private count = 0;

  constructor(private readonly rng: Rng) {}

  name(): string {
    for (let attempt = 0; ; attempt++) {
      const given = this.rng.chance(0.7) || attempt > 50 ? this.rng.pick(GIVEN) + this.rng.pick(GIVEN) : this.rng.pick(GIVEN);
      const name = this.rng.pick(SURNAMES) + given;
      if (!this.names.has(name)) {
        this.names.add(name);
        return name;
      }
    }
  }

  phone(): string {
    for (;;) {
      const phone = this.rng.pick(MOBILE_PREFIXES) + String(this.rng.int(0, 99_999_999)).padStart(8, '0');
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return phone;
      }
    }
  }

  /** The next worker id: w-0001, w-0002, … (more digits past 9999). */
  nextId(): string {
    this.count += 1;
    return `w-${String(this.count).padStart(4, '0')}`;
  }

  worker(role: WorkerRole, grids: string[]): Worker {
    return { id: this.nextId(), name: this.name(), role, grids, phone: this.phone(), onDuty: true };
  }
}

export interface StaffingOptions {
  /** Grids of one village served by one town grid worker (镇网格员); 1 in the demo town. */
  townWorkerSpan?: number;
  /** Grids of one village served by one village grid worker (村网格员); 1 in the demo town. */
  villageWorkerSpan?: number;
  /** Liaisons (网格联络员) per grid, inclusive range. */
  liaisons?: readonly [number, number];
}

/**
 * Staff a village's grids by the seed's 1+1+1+N rule: every grid has one grid
 * leader, one town grid worker, one village grid worker and some liaisons.
 * The village's 联村领导 leads all its basic grids (“联村领导任网格长”); a
 * dedicated grid is led by the town leader who looks after that enterprise
 * (“各帮包企业领导为企业网格长”).
 */
export function staffVillage(grids: readonly Grid[], people: PeopleFactory, rng: Rng, options: StaffingOptions = {}): Worker[] {
  const townSpan = Math.max(1, options.townWorkerSpan ?? 1);
  const villageSpan = Math.max(1, options.villageWorkerSpan ?? 1);
  const [minLiaisons, maxLiaisons] = options.liaisons ?? [2, 3];
  const basic = grids.filter((g) => g.kind === 'basic').map((g) => g.code);
  const workers: Worker[] = [];
  if (basic.length > 0) workers.push(people.worker('gridLeader', basic));
  let townWorker: Worker | undefined;
  let villageWorker: Worker | undefined;
  grids.forEach((grid, k) => {
    if (grid.kind === 'dedicated') workers.push(people.worker('gridLeader', [grid.code]));
    if (k % townSpan === 0 || !townWorker) workers.push((townWorker = people.worker('townWorker', [])));
    townWorker.grids.push(grid.code);
    if (k % villageSpan === 0 || !villageWorker) workers.push((villageWorker = people.worker('villageWorker', [])));
    villageWorker.grids.push(grid.code);
    const n = rng.int(minLiaisons, maxLiaisons);
    for (let j = 0; j < n; j++) workers.push(people.worker('liaison', [grid.code]));
  });
  return workers;
}
