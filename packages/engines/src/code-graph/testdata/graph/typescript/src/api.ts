import express from 'express';
import { OrderRepository, OrderService } from './index';

export function handle(id: string): string {
  const service = new OrderService(new OrderRepository());
  return service.place(id);
}

export const app = express();
