/**
 * A FileFault as the error record a script sees. PowerShell's own texts where PowerShell has one:
 * SessionStateStrings.PathNotFound and DriveNotFound, PathUtilsStrings.UtilityFileExistsNoClobber
 * (with "NoClobber", errorId NoClobber, ResourceExists: PathUtils.cs), and .NET Framework's
 * exception messages for a missing folder ("Could not find a part of the path '...'.", which
 * Out-File reports as FileOpenFailure/OpenError), illegal characters ("Illegal characters in
 * path.") and too long a path (PathTooLongException). The rest is this product's own and says so.
 */
import { PsError } from '../errors.js';
import type { ErrorReach } from '../errors.js';
import type { FileFault } from './fileSystem.js';
import type { FileLimits } from './fileSystem.js';

const ours = 'a rule of this product, not a PowerShell error';

export function fileError(
  fault: FileFault,
  limits: FileLimits,
  reach: ErrorReach = 'non-terminating',
): PsError {
  const path = fault.path;
  const target = { target: path, targetType: 'String', reach } as const;
  switch (fault.kind) {
    case 'not-found':
      return new PsError(`Cannot find path '${path}' because it does not exist.`, {
        category: 'ObjectNotFound',
        errorId: 'PathNotFound',
        exceptionType: 'ItemNotFoundException',
        ...target,
      });
    case 'drive-not-found':
      return new PsError(`Cannot find drive. A drive with the name '${path}' does not exist.`, {
        category: 'ObjectNotFound',
        errorId: 'DriveNotFound',
        exceptionType: 'DriveNotFoundException',
        ...target,
      });
    case 'folder-not-found':
      return new PsError(`Could not find a part of the path '${path}'.`, {
        category: 'OpenError',
        errorId: 'FileOpenFailure',
        exceptionType: 'DirectoryNotFoundException',
        reach,
      });
    case 'exists':
      return new PsError(`File ${path} already exists and NoClobber was specified.`, {
        category: 'ResourceExists',
        errorId: 'NoClobber',
        exceptionType: 'IOException',
        ...target,
      });
    case 'illegal-characters':
      // .NET's ArgumentException text; the error id is ours (the cmdlets' ids vary).
      return new PsError('Illegal characters in path.', {
        category: 'InvalidArgument',
        errorId: 'IllegalCharactersInPath',
        exceptionType: 'ArgumentException',
        reach,
      });
    case 'too-long':
      return new PsError(
        'The specified path, file name, or both are too long. The fully qualified file name must be less than 260 characters, and the directory name must be less than 248 characters.',
        {
          category: 'InvalidArgument',
          errorId: 'PathTooLong',
          exceptionType: 'PathTooLongException',
          ...target,
        },
      );
    case 'wrong-kind':
      return new PsError(
        `The path '${path}' is a folder where a file is needed, or a file where a folder is needed (${ours}).`,
        {
          category: 'InvalidOperation',
          errorId: 'PathIsWrongKind',
          exceptionType: 'IOException',
          ...target,
        },
      );
    case 'invalid-name':
      return new PsError(
        `The path '${path}' holds a name files may not have here: a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9), an invisible character, or a name ending in a dot or a space (${ours}).`,
        {
          category: 'InvalidArgument',
          errorId: 'InvalidFileName',
          exceptionType: 'ArgumentException',
          ...target,
        },
      );
    case 'not-allowed':
      return new PsError(
        `The path '${path}' is a link or a special file, which scripts may not follow or open here (${ours}).`,
        {
          category: 'PermissionDenied',
          errorId: 'PathNotAllowed',
          exceptionType: 'UnauthorizedAccessException',
          ...target,
        },
      );
    case 'disk-file':
      return new PsError(
        `Scripts may not write '${path}': files named as virtual hard disks (.vhdx, .avhdx, .vhd, .avhd) are the host's, and its disk list would show this one (${ours}).`,
        {
          category: 'PermissionDenied',
          errorId: 'DiskFileNotAllowed',
          exceptionType: 'UnauthorizedAccessException',
          ...target,
        },
      );
    case 'access-denied':
      // .NET's UnauthorizedAccessException text.
      return new PsError(`Access to the path '${path}' is denied.`, {
        category: 'PermissionDenied',
        errorId: 'UnauthorizedAccess',
        exceptionType: 'UnauthorizedAccessException',
        ...target,
      });
    case 'io':
      return new PsError(
        `The file '${path}' could not be read or written: the disk answered ${fault.message} (${ours}).`,
        {
          category: 'WriteError',
          errorId: 'FileSystemError',
          exceptionType: 'IOException',
          ...target,
        },
      );
    case 'quota': {
      const mb = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
      const what =
        fault.message === 'files'
          ? `more than ${limits.maxFiles} files`
          : fault.message === 'bytes'
            ? `more than ${mb(limits.maxTotalBytes)} in all`
            : `a file larger than ${mb(limits.maxFileBytes)}`;
      return new PsError(
        `Cannot write or read '${path}': it would make ${what} (a limit of this server, not a PowerShell error).`,
        {
          category: 'LimitsExceeded',
          errorId: 'FileQuotaExceeded',
          exceptionType: 'IOException',
          ...target,
        },
      );
    }
  }
}
