export { writeFileAtomic, isAtomicWriteTemporary } from './atomicWrite.js';
export { FILE_MODE, FOLDER_MODE, createPrivateFile, makePrivateFolder } from './privateFiles.js';
