// The Chinese fonts a PDF is set in, found on the machine: Debian's Noto CJK
// (fonts-noto-cjk), Windows' own SimSun/FangSong/SimHei, macOS' Songti/Heiti; or the
// files named by GRIDDECK_CJK_FONT (one TTF/OTF/TTC used for every face, with
// GRIDDECK_CJK_FONT_FAMILY naming the face inside a collection).
import { existsSync } from 'node:fs';

/** A font file and, for a collection (.ttc), the PostScript name of the face in it. */
export interface FontFace {
  path: string;
  family?: string;
}

/**
 * The two faces a PDF is set in: a serif (宋/仿宋) for the body and the tables, a bold
 * sans (黑体) for the issuer's mark, the title and the headings. Two, not one per role:
 * each face embedded costs a Chinese font's subsetting (about half a second of the data
 * service's time on this machine), and a filing office's documents use these two looks.
 */
export interface CjkFonts {
  serif: FontFace;
  sans: FontFace;
}

const NOTO = '/usr/share/fonts/opentype/noto';
const WIN = 'C:\\Windows\\Fonts';
const MAC = '/System/Library/Fonts';

const SERIF: readonly FontFace[] = [
  { path: `${NOTO}/NotoSerifCJK-Regular.ttc`, family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: `${WIN}\\simfang.ttf` },
  { path: `${WIN}\\simsun.ttc`, family: 'SimSun' },
  { path: `${MAC}/Supplemental/Songti.ttc`, family: 'STSongti-SC-Regular' },
];
const SERIF_BOLD: readonly FontFace[] = [
  { path: `${NOTO}/NotoSerifCJK-Bold.ttc`, family: 'NotoSerifCJKsc-Bold' },
  { path: '/usr/share/fonts/noto-cjk/NotoSerifCJK-Bold.ttc', family: 'NotoSerifCJKsc-Bold' },
  { path: `${WIN}\\simhei.ttf` },
  { path: `${MAC}/Supplemental/Songti.ttc`, family: 'STSongti-SC-Bold' },
];
const SANS_BOLD: readonly FontFace[] = [
  { path: `${NOTO}/NotoSansCJK-Bold.ttc`, family: 'NotoSansCJKsc-Bold' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
  { path: `${WIN}\\simhei.ttf` },
  { path: `${MAC}/STHeiti Medium.ttc`, family: 'STHeitiSC-Medium' },
];

function first(candidates: readonly FontFace[]): FontFace | null {
  return candidates.find((face) => existsSync(face.path)) ?? null;
}

/**
 * The fonts to set a PDF in. Throws a message for the operator when the machine has no
 * Chinese font (a PDF without one would print empty boxes).
 */
export function findCjkFonts(env: NodeJS.ProcessEnv = process.env): CjkFonts {
  const override = env.GRIDDECK_CJK_FONT;
  if (override) {
    if (!existsSync(override)) throw new Error(`GRIDDECK_CJK_FONT 指定的字体文件不存在：${override}`);
    const face = { path: override, family: env.GRIDDECK_CJK_FONT_FAMILY || undefined };
    return { serif: face, sans: face };
  }
  const body = first(SERIF);
  if (!body) {
    throw new Error('本机没有可用的中文字体，无法生成 PDF(Debian 请安装 fonts-noto-cjk;或用 GRIDDECK_CJK_FONT 指定字体文件)');
  }
  return { serif: body, sans: first(SANS_BOLD) ?? first(SERIF_BOLD) ?? body };
}
