// The generic value readers live with the directory (which reads roles and org with them); caller resolution imports them from here.
export { getPath, orgValue } from '../directory/values';
