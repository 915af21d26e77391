import Notifications from './components/Notifications.react.js';
import PermissionButton from './components/PermissionButton.react.js';

export {Notifications, PermissionButton};
