/** The machines of the election, one module each; gathered here for callers that want them all. */
export { createReplicaMachine, type ReplicaContext, type ReplicaEvent, type ReplicaInput } from './replica.js';
export { createAuthorityMachine, type AuthorityContext } from './authority.js';
export { createInstanceMachine, type InstanceContext } from './instance.js';
