import { describe, expect, it } from 'vitest';
import { conventionalTypeNames, declaredTypeNames } from './declared-type-names.ts';

describe('declaredTypeNames', () => {
  it.each([
    ['place(orders: OrderService, id: string)', 'orders', ['OrderService']],
    ['constructor(private readonly repository: OrderRepository)', 'repository', ['OrderRepository']],
    ['def __init__(self, order: models.Order)', 'order', ['Order']],
    ['public Invoice bill(final Invoice invoice, List<Item> items)', 'items', ['List']],
    ['public Invoice bill(final Invoice invoice)', 'invoice', ['Invoice']],
    ['func (s *Store) Save(id string) error', 's', ['Store']],
    ['func run(store *orders.Store) error', 'store', ['Store']],
    ['left = new Service38()', 'left', ['Service38']],
    ['compute(value: number): number', 'orders', []],
  ])('%s gives %s the types %j', (signature, variable, expected) => {
    expect(declaredTypeNames(signature, variable)).toEqual(expected);
  });
});

describe('conventionalTypeNames', () => {
  it('turns variable names into class names', () => {
    expect(conventionalTypeNames('orderService')).toEqual(['OrderService']);
    expect(conventionalTypeNames('order_service')).toEqual(['OrderService']);
    expect(conventionalTypeNames('_repo')).toEqual(['Repo']);
    expect(conventionalTypeNames('Store')).toEqual([]);
    expect(conventionalTypeNames('a.b')).toEqual([]);
  });
});
