export { BookBoard, type TopOfBook } from './BookBoard.ts';
export { GatewayServer } from './GatewayServer.ts';
