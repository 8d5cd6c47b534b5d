import { VhdxError } from '../errors.js';
import {
  HEADER_OFFSETS,
  HEADER_SIZE,
  HEADER_SECTION_SIZE,
  MiB,
  REGION_BAT,
  REGION_METADATA,
  REGION_TABLE_OFFSETS,
  REGION_TABLE_SIZE,
} from '../format/constants.js';
import {
  chooseCurrentHeader,
  parseFileIdentifier,
  parseHeader,
  type VhdxHeader,
} from '../format/headers.js';
import { parseRegionTable, type RegionEntry } from '../format/regionTable.js';

export interface FileLayout {
  creator: string;
  header: VhdxHeader;
  headerSlot: 0 | 1;
  regions: RegionEntry[];
  bat: RegionEntry;
  metadata: RegionEntry;
}

/** Parses the 1 MiB header section: identifier, both headers, the region table. */
export function parseHeaderSection(section: Uint8Array): FileLayout {
  if (section.length < REGION_TABLE_OFFSETS[1] + REGION_TABLE_SIZE) {
    throw new VhdxError(
      'file',
      `file is too short (${section.length} bytes) to hold a VHDX header section`,
      { offset: 0 },
    );
  }
  const { creator } = parseFileIdentifier(section);
  const headers = HEADER_OFFSETS.map((o) => parseHeader(section.subarray(o, o + HEADER_SIZE)));
  const { header, slot } = chooseCurrentHeader(headers[0] ?? null, headers[1] ?? null);
  const at = HEADER_OFFSETS[slot];
  if (header.version !== 1) {
    throw new VhdxError(`header ${slot + 1}`, `Version ${header.version} is not 1`, {
      offset: at + 66,
      field: 'Version',
      code: 'UNSUPPORTED',
    });
  }
  if (
    header.logOffset < HEADER_SECTION_SIZE ||
    header.logOffset % MiB !== 0 ||
    header.logLength % MiB !== 0 ||
    header.logLength === 0
  ) {
    throw new VhdxError(
      `header ${slot + 1}`,
      `log at ${header.logOffset} length ${header.logLength} is not on 1 MiB boundaries`,
      {
        offset: at + 68,
        field: 'LogOffset',
      },
    );
  }
  let regions: RegionEntry[];
  try {
    regions = parseRegionTable(section.subarray(REGION_TABLE_OFFSETS[0]), REGION_TABLE_OFFSETS[0]);
  } catch (first) {
    try {
      regions = parseRegionTable(
        section.subarray(REGION_TABLE_OFFSETS[1]),
        REGION_TABLE_OFFSETS[1],
      );
    } catch {
      throw first;
    }
  }
  const pick = (guid: string, name: string): RegionEntry => {
    const found = regions.filter((r) => r.guid === guid);
    if (found.length !== 1) {
      throw new VhdxError(
        'region table',
        `${name} region ${found.length === 0 ? 'is missing' : 'appears twice'}`,
        {
          offset: REGION_TABLE_OFFSETS[0],
        },
      );
    }
    const [only] = found;
    if (!only || found.length !== 1) {
      throw new VhdxError('region table', `${name} region is missing or appears twice`, {
        offset: REGION_TABLE_OFFSETS[0],
      });
    }
    return only;
  };
  const bat = pick(REGION_BAT, 'BAT');
  const metadata = pick(REGION_METADATA, 'metadata');
  for (const r of regions) {
    if (r !== bat && r !== metadata && r.required) {
      throw new VhdxError('region table', `unknown required region ${r.guid}`, {
        offset: REGION_TABLE_OFFSETS[0],
        code: 'UNSUPPORTED',
      });
    }
  }
  const spans = [
    ...regions.map((r) => ({ name: r.guid, start: r.fileOffset, end: r.fileOffset + r.length })),
    { name: 'log', start: header.logOffset, end: header.logOffset + header.logLength },
  ].sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1];
    const cur = spans[i];
    if (prev && cur && cur.start < prev.end) {
      throw new VhdxError('region table', `region ${cur.name} overlaps ${prev.name}`, {
        offset: cur.start,
      });
    }
  }
  return { creator, header, headerSlot: slot, regions, bat, metadata };
}

/** True when [start, start+length) overlaps the header section, the log or a region. */
export function overlapsStructures(layout: FileLayout, start: number, length: number): boolean {
  if (start < HEADER_SECTION_SIZE) return true;
  const end = start + length;
  const spans = [
    ...layout.regions.map((r) => [r.fileOffset, r.fileOffset + r.length] as const),
    [layout.header.logOffset, layout.header.logOffset + layout.header.logLength] as const,
  ];
  return spans.some(([s, e]) => start < e && s < end);
}
