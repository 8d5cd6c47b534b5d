declare const brand: unique symbol;
export type Branded<T, B extends string> = T & { readonly [brand]: B };

/** Hyper-V identifies VMs and checkpoints by GUID, written in lower case `xxxxxxxx-xxxx-...`. */
export type VmId = Branded<string, 'VmId'>;
export type CheckpointId = Branded<string, 'CheckpointId'>;
export type TaskId = Branded<string, 'TaskId'>;
