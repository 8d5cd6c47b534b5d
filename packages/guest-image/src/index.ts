export {
  BUILD_SCRIPT,
  GUEST_IMAGE_NAMES,
  GuestImageBuildError,
  ensureGuestImage,
  type EnsureGuestImageOptions,
  type GuestImage,
  type GuestImageName,
} from './guestImage.js';
export { parseGuestSerialLine, type GuestSerialLine } from './serialLine.js';
