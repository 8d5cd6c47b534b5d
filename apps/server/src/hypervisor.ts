/**
 * The hypervisor the host runs its VMs' guests with (`HYPERV_HYPERVISOR`). For QEMU, the
 * accelerator is chosen once, when the server starts, and said once in the log: KVM is tried on
 * the tiny-linux guest image's kernel, and TCG is chosen when KVM cannot run it or is absent.
 */
import type { HostHypervisor, HypervisorKind, QemuGuestImage } from '@hvm/engine';
import { ensureGuestImage, GUEST_IMAGE_NAMES } from '@hvm/guest-image';
import { acceleratorForThisHost, type AcceleratorChoice, type DetectOptions } from '@hvm/qemu';

export interface HypervisorDeps {
  /** Chooses the accelerator and logs the choice (default: `acceleratorForThisHost`). */
  chooseAccelerator?: (options: DetectOptions) => Promise<AcceleratorChoice>;
  /** The kernel KVM is probed with (default: the tiny-linux guest image's). */
  probeKernel?: () => Promise<string>;
  log?: (message: string) => void;
}

export async function hostHypervisor(
  kind: HypervisorKind,
  deps: HypervisorDeps = {},
): Promise<HostHypervisor> {
  if (kind === 'simulated') return { kind: 'simulated' };
  const log = deps.log ?? console.log;
  const probeKernel =
    deps.probeKernel ?? (async () => (await ensureGuestImage('tiny-linux')).kernel);
  let kernel: string | undefined;
  try {
    kernel = await probeKernel();
  } catch (error) {
    log(
      `The tiny-linux guest image is not available to probe KVM with: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const choose = deps.chooseAccelerator ?? acceleratorForThisHost;
  const choice = await choose({ ...(kernel === undefined ? {} : { probeKernel: kernel }), log });
  return { kind: 'qemu', accelerator: choice.accelerator };
}

/**
 * The boot files of a QEMU gallery image for the engine (`HostPorts.qemuGuestImage`): built or
 * fetched once by `@hvm/guest-image` and cached; a name outside its images is refused.
 */
export async function qemuGuestImage(name: string): Promise<QemuGuestImage> {
  const image = GUEST_IMAGE_NAMES.find((known) => known === name);
  if (image === undefined) throw new Error(`'${name}' is not a QEMU guest image`);
  return ensureGuestImage(image);
}
