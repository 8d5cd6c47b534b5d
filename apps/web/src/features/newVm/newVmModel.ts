import type { CreateVmInput } from '@hvm/engine';

/**
 * Hyper-V Manager's New Virtual Machine Wizard: its pages and their defaults, as Microsoft's
 * "Create a virtual machine in Hyper-V" lists them ("Options in Hyper-V Manager New Virtual
 * Machine Wizard": Specify Name and Location, Specify Generation, Assign Memory, Configure
 * Networking, Connect Virtual Hard Disk, Installation Options, Summary; learn.microsoft.com,
 * windowsserverdocs Create-a-virtual-machine-in-Hyper-V.md), after "Before You Begin" (the
 * Windows 11 quick start: "Review the 'Before You Begin' content and select Next").
 */
export const NEW_VM_PAGES = [
  'Before You Begin',
  'Specify Name and Location',
  'Specify Generation',
  'Assign Memory',
  'Configure Networking',
  'Connect Virtual Hard Disk',
  'Installation Options',
  'Summary',
] as const;
export type NewVmPage = (typeof NEW_VM_PAGES)[number];

/** The three choices of Connect Virtual Hard Disk. */
export type DiskChoice = 'create' | 'existing' | 'later';

export const DISK_CHOICES: { choice: DiskChoice; caption: string }[] = [
  // "Create a virtual hard disk" and "use an existing virtual hard disk" are the page's options as
  // Microsoft's page (above) and a public walkthrough (gist felixwetell/688da388: "Select the
  // option Use an existing virtual hard disk") name them; [B] "Attach a virtual hard disk later"
  // is how the option reads from memory ("wait and attach a virtual hard disk later" in the docs).
  { choice: 'create', caption: 'Create a virtual hard disk' },
  { choice: 'existing', caption: 'Use an existing virtual hard disk' },
  { choice: 'later', caption: 'Attach a virtual hard disk later' },
];

/** Installation Options' default, in Microsoft's words (the options table above). */
export const INSTALL_LATER_CAPTION = 'Install an operating system later';

/** Memory limits of the engine (createVm.ts): 32 MB to 1 TB. */
export const MIN_MEMORY_MB = 32;
export const MAX_MEMORY_MB = 1_048_576;
/** 127 GB, the wizard's default size (the options table above). */
export const DEFAULT_DISK_SIZE_GB = 127;
const MAX_DISK_SIZE_GB = 65_536;

export interface NewVmChoices {
  name: string;
  generation: 1 | 2;
  memoryMB: string;
  dynamicMemory: boolean;
  disk: DiskChoice;
  diskName: string;
  diskLocation: string;
  diskSizeGB: string;
  existingPath: string;
  guestImage: string | null;
  /** The virtual switch to connect to, or null for Not Connected. */
  switchId: string | null;
}

/**
 * The wizard's defaults (the options table above): Name "New Virtual Machine", Generation 1,
 * 1024 MB without Dynamic Memory, not connected, a new 127 GB `<name>.vhdx` in the host's
 * virtual hard disk folder, and an operating system installed later.
 */
export function defaultChoices(virtualHardDiskPath: string): NewVmChoices {
  return {
    name: 'New Virtual Machine',
    generation: 1,
    memoryMB: '1024',
    dynamicMemory: false,
    disk: 'create',
    diskName: 'New Virtual Machine.vhdx',
    diskLocation: virtualHardDiskPath,
    diskSizeGB: String(DEFAULT_DISK_SIZE_GB),
    existingPath: '',
    guestImage: null,
    switchId: null,
  };
}

/** A field's problem, shown beside the field until its value is fixed. */
export interface FieldProblem {
  page: NewVmPage;
  field: 'name' | 'memory' | 'diskName' | 'diskLocation' | 'diskSize' | 'existingPath';
  message: string;
}

const wholeNumber = (text: string): number | null =>
  /^\s*\d+\s*$/.test(text) ? Number(text.trim()) : null;

/*
 * The messages are this console's own: Hyper-V Manager's wizard texts for these cases are not
 * published. The memory rule is Hyper-V's (values must be multiples of 2 MB, "Memory values must
 * be properly aligned.", kubernetes/minikube#6973).
 */
export function problemsOf(c: NewVmChoices): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const name = c.name.trim();
  if (name === '' || [...name].length > 100) {
    problems.push({
      page: 'Specify Name and Location',
      field: 'name',
      message: 'The name must be 1 to 100 characters long.',
    });
  }
  const memory = wholeNumber(c.memoryMB);
  if (memory === null || memory < MIN_MEMORY_MB || memory > MAX_MEMORY_MB) {
    problems.push({
      page: 'Assign Memory',
      field: 'memory',
      message: `Startup memory must be a whole number of MB between ${MIN_MEMORY_MB} and ${MAX_MEMORY_MB}.`,
    });
  } else if (memory % 2 !== 0) {
    problems.push({
      page: 'Assign Memory',
      field: 'memory',
      message: 'Startup memory must be a multiple of 2 MB.',
    });
  }
  if (c.disk === 'create') {
    if (!/^[^/\\]+\.vhdx$/i.test(c.diskName.trim())) {
      problems.push({
        page: 'Connect Virtual Hard Disk',
        field: 'diskName',
        message: 'The name must be a file name ending in .vhdx.',
      });
    }
    const size = wholeNumber(c.diskSizeGB);
    if (size === null || size < 1 || size > MAX_DISK_SIZE_GB) {
      problems.push({
        page: 'Connect Virtual Hard Disk',
        field: 'diskSize',
        message: `The size must be a whole number of GB between 1 and ${MAX_DISK_SIZE_GB}.`,
      });
    }
  }
  if (c.disk === 'existing' && !/\.a?vhdx$/i.test(c.existingPath.trim())) {
    problems.push({
      page: 'Connect Virtual Hard Disk',
      field: 'existingPath',
      message: 'Give the path of a .vhdx or .avhdx file in the host’s data folder.',
    });
  }
  return problems;
}

export function newDiskPath(c: NewVmChoices): string {
  const folder = c.diskLocation.trim().replace(/[/\\]+$/, '');
  return folder === '' || folder === '.' ? c.diskName.trim() : `${folder}/${c.diskName.trim()}`;
}

/** The body of POST /vms for these choices (valid ones: see `problemsOf`). */
export function createVmInput(c: NewVmChoices): CreateVmInput {
  // Assign Memory and Configure Networking go with the VM: one request creates it as chosen.
  const base = {
    name: c.name.trim(),
    generation: c.generation,
    memoryStartupMB: Number(c.memoryMB),
    dynamicMemoryEnabled: c.dynamicMemory,
    switchId: c.switchId,
  };
  if (c.disk === 'existing') return { ...base, vhdPath: c.existingPath.trim() };
  if (c.disk === 'later') return { ...base, noVhd: true };
  return {
    ...base,
    newVhdPath: newDiskPath(c),
    diskSizeBytes: Number(c.diskSizeGB) * 1024 ** 3,
    guestImage: c.guestImage,
  };
}
