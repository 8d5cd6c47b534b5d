/**
 * Virtual Machine Connection of a VM whose guest runs under QEMU: viewers of its serial console
 * and what they type into it. Hyper-V authorises output from and input to a virtual machine as two
 * separate operations ("Allow Output from a Virtual Machine", "Allow Input to a Virtual Machine":
 * Microsoft, "Appendix B: Authorization Manager Terminology", Windows Server 2008 Hyper-V
 * documentation, dd283004); the host's operation catalogue gives them different permissions.
 * The messages are this host's words: Hyper-V has no serial console viewer.
 */
import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import {
  SERIAL_CONSOLE_MAX_INPUT_BYTES,
  type SerialConsoleConnection,
  type SerialConsoleViewer,
} from '../serialConsoleTypes.js';
import { runsUnderQemu } from './qemuVm.js';
import { serialConsoleFeedOf } from './serialConsoleFeed.js';

function requireSerialConsole(ctx: HostContext, vm: VmRuntime): void {
  if (runsUnderQemu(ctx, vm)) return;
  throw new EngineError(
    ErrorCode.InvalidState,
    `'${vm.file.name}' has no serial console to connect to: its guest does not run under QEMU.`,
    { vmName: vm.file.name, reason: 'no-serial-console' },
  );
}

/** A viewer connects to the VM's serial console: in any state, with the recent output. */
export function connectSerialConsole(
  ctx: HostContext,
  vm: VmRuntime,
  viewer: SerialConsoleViewer,
): SerialConsoleConnection {
  requireSerialConsole(ctx, vm);
  const feed = serialConsoleFeedOf(vm);
  if (feed.viewerCount >= feed.maxViewers)
    throw new EngineError(
      ErrorCode.LimitExceeded,
      `The serial console of '${vm.file.name}' already has ${feed.maxViewers} viewers. Close one of its Virtual Machine Connection windows first.`,
      { vmName: vm.file.name, limit: feed.maxViewers },
    );
  return feed.connect(viewer);
}

/** Types into the VM's serial console: only while its guest runs, and only what it keeps up with. */
export function typeIntoSerialConsole(ctx: HostContext, vm: VmRuntime, bytes: Uint8Array): void {
  requireSerialConsole(ctx, vm);
  if (bytes.length > SERIAL_CONSOLE_MAX_INPUT_BYTES)
    throw invalidArgument(
      'bytes',
      `At most ${SERIAL_CONSOLE_MAX_INPUT_BYTES} bytes can be typed at once.`,
    );
  const guest = vm.qemu?.guest;
  if (vm.state !== 'Running' || guest === undefined)
    throw new EngineError(
      ErrorCode.InvalidState,
      `Cannot type into the console of '${vm.file.name}' while it is ${vm.state}.`,
      { vmName: vm.file.name, actual: vm.state },
    );
  if (!guest.qemu.typeIntoConsole(bytes))
    throw new EngineError(
      ErrorCode.LimitExceeded,
      `The guest of '${vm.file.name}' is not reading its console: what was typed before is still waiting.`,
      { vmName: vm.file.name, reason: 'console-input-waiting' },
    );
}
