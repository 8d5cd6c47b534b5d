export const KiB = 1024;
export const MiB = 1024 * 1024;

export const FILE_IDENTIFIER_OFFSET = 0;
export const HEADER_OFFSETS = [64 * KiB, 128 * KiB] as const;
export const HEADER_SIZE = 4 * KiB;
export const REGION_TABLE_OFFSETS = [192 * KiB, 256 * KiB] as const;
export const REGION_TABLE_SIZE = 64 * KiB;
export const HEADER_SECTION_SIZE = MiB;

/** Layout Hyper-V uses for a new file. */
export const DEFAULT_LOG_OFFSET = MiB;
export const DEFAULT_LOG_LENGTH = MiB;
export const DEFAULT_METADATA_OFFSET = 2 * MiB;
export const DEFAULT_METADATA_LENGTH = MiB;
export const DEFAULT_BAT_OFFSET = 3 * MiB;

export const REGION_BAT = '2dc27766-f623-4200-9d64-115e9bfd4a08';
export const REGION_METADATA = '8b7ca206-4790-4b9a-b8fe-575f050f886e';

export const META_FILE_PARAMETERS = 'caa16737-fa36-4d43-b3b6-33f0aa44e76b';
export const META_VIRTUAL_DISK_SIZE = '2fa54224-cd1b-4876-b211-5dbed83bf4b8';
export const META_LOGICAL_SECTOR_SIZE = '8141bf1d-a96f-4709-ba47-f233a8faab5f';
export const META_PHYSICAL_SECTOR_SIZE = 'cda348c7-445d-4471-9cc9-e9885251c556';
export const META_VIRTUAL_DISK_ID = 'beca12ab-b2e6-4523-93ef-c309e000c746';
export const META_PARENT_LOCATOR = 'a8d35f2d-b30b-454d-abf7-d3d84834ab0c';
export const PARENT_LOCATOR_TYPE_VHDX = 'b04aefb7-d19e-4a81-b789-25b8e9445913';

export const METADATA_ITEMS_START = 64 * KiB;

/** Payload block states (BAT bits 0-2). */
export const PayloadState = {
  NotPresent: 0,
  Undefined: 1,
  Zero: 2,
  Unmapped: 3,
  FullyPresent: 6,
  PartiallyPresent: 7,
} as const;

/** Sector-bitmap block states. */
export const BitmapState = { NotPresent: 0, Present: 6 } as const;

export const SECTORS_PER_BITMAP_BLOCK = 2 ** 23;
export const MAX_VIRTUAL_SIZE = 64 * 1024 * 1024 * MiB;
export const MIN_BLOCK_SIZE = MiB;
export const MAX_BLOCK_SIZE = 256 * MiB;
export const DEFAULT_BLOCK_SIZE = 32 * MiB;
export const CREATOR = 'Hyper-V Manager Web';
export const MAX_CHAIN_DEPTH = 256;

export const SIG_FILE = 'vhdxfile';
export const SIG_HEADER = 'head';
export const SIG_REGION = 'regi';
export const SIG_METADATA = 'metadata';
export const SIG_LOG_ENTRY = 'loge';
export const SIG_LOG_DESC = 'desc';
export const SIG_LOG_ZERO = 'zero';
export const SIG_LOG_DATA = 'data';
