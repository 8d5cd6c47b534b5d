export { QmpClient, QmpError, QmpTimeoutError, QmpClosedError } from './qmp.js';
export type { QmpEvent, QmpOptions } from './qmp.js';
export { QgaClient, QgaError, QgaNotAnsweringError } from './qga.js';
export type { QgaOptions } from './qga.js';
export { CONSOLE_INPUT_MAX_PENDING_BYTES, QemuMachine, qemuHasSandbox } from './qemuMachine.js';
export type { LaunchOptions, MachineExit, RunState } from './qemuMachine.js';
export {
  INHERITED_DISK_DESCRIPTOR,
  INHERITED_VHOST_USER_DESCRIPTOR,
  qemuArguments,
  qemuMacAddress,
  shellQuote,
} from './machineArgs.js';
export type {
  Accelerator,
  GuestNetwork,
  NbdConnectedDisk,
  NbdDisk,
  NbdSocketDisk,
  QemuMachineConfig,
  RawFileDisk,
  VhostUserDisk,
} from './machineArgs.js';
export {
  MAX_NETWORK_ADAPTER_PORTS,
  NetworkAdapterDevices,
  networkAdapterIds,
} from './networkAdapters.js';
export type { NetworkAdapterDevice, NetworkAdapterPorts } from './networkAdapters.js';
export { SerialConsole } from './serialConsole.js';
export { acceleratorForThisHost, chooseAccelerator } from './accelerator.js';
export type { AcceleratorChoice, DetectOptions } from './accelerator.js';
export { LineTooLongError } from './jsonLines.js';
export { SwitchableDisk } from './switchableDisk.js';
export type { BackgroundSave, BackgroundSaveRefused, SaveProgress } from './stateFile.js';
