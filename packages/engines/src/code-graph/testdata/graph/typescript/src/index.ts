export * from './orders/order-service';
export { OrderRepository } from './db/order-repository';
