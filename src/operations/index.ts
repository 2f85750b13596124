export { type OperationContext } from './context';
export { createUser } from './create-user';
export { deleteUser } from './delete-user';
export { listUsers, usersByEmail, MAX_PER_PAGE, PAGING_CAP } from './list-users';
export { readMe, updateMe } from './me';
export { readUser } from './read-user';
export { updateUser } from './update-user';
