/**
 * The plant builder against a real Tryton 6.0: every builder function, read back from Tryton
 * with plain reads (not through the builder), so a builder that only seems to work fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrytonRpc } from '../../../../sync/connectors/tryton/rpc.ts';
import { hasTryton, startTryton, type TrytonServer } from '../../../support/tryton-server.ts';
import {
  addDays, adjustStock, assignProduction, cancelProduction, createBom, createLot, createProduct, createProduction,
  createPurchase, createRouting, createRoutingOperation, createSupplier, createSupplierShipment, createWorkCenter,
  createWorkCenterCategory, doneProduction, draftProduction, lotQuantities, moveDeliveryDate, processPurchase,
  productionWorks, read, readOne, receivePurchaseMove, receiveStock, runProduction, searchRead, setupCompany,
  startWork, stopWork, trytonToday, uomId, waitProduction, type TrytonPlantContext,
} from './tryton-plant.ts';

describe.skipIf(!hasTryton)('Tryton plant builder', () => {
  let server: TrytonServer;
  let rpc: TrytonRpc;
  let plant: TrytonPlantContext;
  let today: string;
  let unit: number;
  let kg: number;
  let liter: number;

  beforeAll(async () => {
    server = await startTryton();
    rpc = new TrytonRpc({ url: server.url, database: server.database, username: server.username, password: server.password });
    plant = await setupCompany(rpc, { name: 'Bäckerei Takt', timezone: 'Europe/Berlin' });
    today = await trytonToday(rpc, plant);
    [unit, kg, liter] = await Promise.all([uomId(rpc, 'u'), uomId(rpc, 'kg'), uomId(rpc, 'l')]);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
  });

  /** Quantity of products on hand in the storage zone (and its children). */
  async function productQuantity(product: number): Promise<number> {
    const { quantity } = await readOne(rpc, { ...plant.context, locations: [plant.locations.storage], with_childs: true }, 'product.product', product, ['quantity']);
    return quantity as number;
  }

  it('sets up the company in its timezone, the user as a member, and finds the warehouse locations', async () => {
    const company = await readOne(rpc, plant.context, 'company.company', plant.company, ['timezone', 'currency', 'party']);
    expect(company).toMatchObject({ timezone: 'Europe/Berlin', currency: plant.currency, party: plant.companyParty });
    expect(await readOne(rpc, {}, 'currency.currency', plant.currency, ['code'])).toMatchObject({ code: 'EUR' });
    expect(await readOne(rpc, {}, 'res.user', plant.user, ['companies', 'company'])).toMatchObject({ companies: [plant.company], company: plant.company });
    expect(plant.context).toEqual({ company: plant.company });

    const { locations } = plant;
    const rows = await read(rpc, plant.context, 'stock.location', [plant.warehouse, ...Object.values(locations)], ['type', 'parent']);
    const type = new Map(rows.map((row) => [row.id, row.type]));
    expect(type.get(plant.warehouse)).toBe('warehouse');
    expect([locations.storage, locations.input, locations.output].map((id) => type.get(id))).toEqual(['storage', 'storage', 'storage']);
    expect([locations.production, locations.supplier, locations.customer, locations.lostFound].map((id) => type.get(id)))
      .toEqual(['production', 'supplier', 'customer', 'lost_found']);
    expect(rows.find((row) => row.id === locations.storage)?.parent).toBe(plant.warehouse);
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('uses Tryton units and creates plain and lot-tracked products', async () => {
    expect(await read(rpc, {}, 'product.uom', [unit, kg, liter], ['name'])).toEqual([
      { id: unit, name: 'Unit' }, { id: kg, name: 'Kilogram' }, { id: liter, name: 'Liter' },
    ]);
    const plain = await createProduct(rpc, plant, { code: 'P-PLAIN', name: 'Plain', uom: unit });
    const tracked = await createProduct(rpc, plant, { code: 'P-LOT', name: 'Tracked', uom: kg, lot: true, costPrice: '1.25' });
    const rows = await read(rpc, plant.context, 'product.product', [plain, tracked],
      ['code', 'type', 'default_uom', 'producible', 'purchasable', 'purchase_uom', 'lot_required', 'cost_price']);
    // Booleans read back as 1/0 on the SQLite backend.
    expect(rows[0]).toMatchObject({ code: 'P-PLAIN', type: 'goods', default_uom: unit, purchase_uom: unit, lot_required: [] });
    expect([Boolean(rows[0]!.producible), Boolean(rows[0]!.purchasable)]).toEqual([true, true]);
    expect(rows[1]).toMatchObject({ code: 'P-LOT', default_uom: kg, cost_price: 1.25 });
    expect([...rows[1]!.lot_required as string[]].sort()).toEqual(['customer', 'lost_found', 'production', 'storage', 'supplier']);
  });

  it('produces through BOM, routing and works: wait creates the works, run consumes, done outputs', async () => {
    const flour = await createProduct(rpc, plant, { code: 'FLOUR', name: 'Flour', uom: kg, lot: true });
    const water = await createProduct(rpc, plant, { code: 'WATER', name: 'Water', uom: liter });
    const bread = await createProduct(rpc, plant, { code: 'BREAD', name: 'Bread', uom: unit });
    const bom = await createBom(rpc, {
      name: 'Bread', output: { product: bread, quantity: 10, uom: unit },
      inputs: [{ product: flour, quantity: 3.5, uom: kg }, { product: water, quantity: 2, uom: liter }],
    });
    expect(await readOne(rpc, plant.context, 'product.product', bread, ['boms'])).toMatchObject({ boms: [expect.any(Number)] });

    const mixers = await createWorkCenterCategory(rpc, { name: 'Mixer' });
    const ovens = await createWorkCenterCategory(rpc, { name: 'Oven' });
    const line = await createWorkCenter(rpc, plant, { name: 'Line 1' });
    const mixer = await createWorkCenter(rpc, plant, { name: 'Mixer 1', category: mixers, parent: line });
    const ovenA = await createWorkCenter(rpc, plant, { name: 'Oven A', category: ovens, parent: line });
    const ovenB = await createWorkCenter(rpc, plant, { name: 'Oven B', category: ovens, parent: line });
    expect(await readOne(rpc, plant.context, 'production.work.center', line, ['children', 'company', 'warehouse']))
      .toMatchObject({ children: expect.arrayContaining([mixer, ovenA, ovenB]), company: plant.company, warehouse: plant.warehouse });

    const mix = await createRoutingOperation(rpc, { name: 'Mix', category: mixers });
    const bake = await createRoutingOperation(rpc, { name: 'Bake', category: ovens });
    const pack = await createRoutingOperation(rpc, { name: 'Pack' });
    const routing = await createRouting(rpc, { name: 'Bread', steps: [mix, bake, pack], boms: [bom] });
    const { steps, boms } = await readOne(rpc, {}, 'production.routing', routing, ['steps', 'boms']);
    expect(boms).toEqual([bom]);
    expect((await read(rpc, {}, 'production.routing.step', steps as number[], ['operation', 'sequence'])).map((s) => [s.operation, s.sequence]))
      .toEqual([[mix, 10], [bake, 20], [pack, 30]]);

    const flourLot = await createLot(rpc, plant, { product: flour, number: 'F-1' });
    await receiveStock(rpc, plant, { product: flour, lot: flourLot, quantity: 50, uom: kg });
    await receiveStock(rpc, plant, { product: water, quantity: 100, uom: liter, from: 'supplier', unitPrice: '0.002' });

    const start = addDays(today, 2);
    const end = addDays(today, 3);
    const production = await createProduction(rpc, plant, {
      product: bread, quantity: 7, uom: unit, bom, routing, workCenter: line,
      plannedStartDate: start, plannedDate: end, reference: 'WO-7', inputLots: { [flour]: flourLot },
    });
    const header = await readOne(rpc, plant.context, 'production', production,
      ['state', 'number', 'planned_date', 'planned_start_date', 'inputs', 'outputs', 'works', 'bom', 'routing', 'work_center']);
    expect(header).toMatchObject({ state: 'draft', planned_date: end, planned_start_date: start, works: [], bom, routing, work_center: line });
    expect(header.number).toEqual(expect.any(String));
    const fields = ['product', 'quantity', 'uom', 'from_location', 'to_location', 'planned_date', 'state', 'lot', 'unit_price'];
    const inputs = await read(rpc, plant.context, 'stock.move', header.inputs as number[], fields);
    // 7 of 10 breads: the BOM scaled by 0.7, from storage (the picking location) to production.
    expect(inputs.map(({ id: _, unit_price: __, ...m }) => m).sort((a, b) => Number(a.product) - Number(b.product))).toEqual([
      { product: flour, quantity: 2.45, uom: kg, from_location: plant.locations.storage, to_location: plant.locations.production, planned_date: start, state: 'draft', lot: flourLot },
      { product: water, quantity: 1.4, uom: liter, from_location: plant.locations.storage, to_location: plant.locations.production, planned_date: start, state: 'draft', lot: null },
    ]);
    expect(await read(rpc, plant.context, 'stock.move', header.outputs as number[], fields)).toEqual([
      { id: expect.any(Number), product: bread, quantity: 7, uom: unit, from_location: plant.locations.production, to_location: plant.locations.storage, planned_date: end, state: 'draft', lot: null, unit_price: 0 },
    ]);

    await waitProduction(rpc, plant, [production]);
    const works = await productionWorks(rpc, plant, production);
    expect(works.map((w) => [w.operation, w.sequence, w.state])).toEqual([[mix, 10, 'request'], [bake, 20, 'request'], [pack, 30, 'request']]);
    // Picked among Line 1's children by the operation's category; no category: the line itself.
    expect(works[0]!.workCenter).toBe(mixer);
    expect([ovenA, ovenB]).toContain(works[1]!.workCenter);
    expect(works[2]!.workCenter).toBe(line);

    expect(await assignProduction(rpc, plant, [production])).toBe(true);
    expect(await readOne(rpc, plant.context, 'production', production, ['state'])).toMatchObject({ state: 'assigned' });
    await runProduction(rpc, plant, [production]);
    expect((await lotQuantities(rpc, plant, [flourLot])).get(flourLot)?.quantity).toBeCloseTo(47.55, 6);
    expect(await productionWorks(rpc, plant, production)).toMatchObject([{ state: 'draft' }, { state: 'draft' }, { state: 'draft' }]);

    await startWork(rpc, plant, works[0]!.id);
    expect((await productionWorks(rpc, plant, production))[0]).toMatchObject({ state: 'running' });
    const [cycle] = await searchRead(rpc, plant.context, 'production.work.cycle', [['work', '=', works[0]!.id]], ['state']);
    expect(cycle).toMatchObject({ state: 'running' });
    await stopWork(rpc, plant, works[0]!.id);
    expect((await productionWorks(rpc, plant, production))[0]).toMatchObject({ state: 'finished' });
    // Tryton refuses to finish a production with unfinished works.
    await expect(doneProduction(rpc, plant, [production])).rejects.toThrow(/must be finished/);

    for (const work of works.slice(1)) {
      await startWork(rpc, plant, work.id);
      await stopWork(rpc, plant, work.id);
    }
    await doneProduction(rpc, plant, [production]);
    expect(await readOne(rpc, plant.context, 'production', production, ['state', 'effective_date'])).toMatchObject({ state: 'done', effective_date: today });
    expect(await productionWorks(rpc, plant, production)).toMatchObject([{ state: 'done' }, { state: 'done' }, { state: 'done' }]);
    expect(await productQuantity(bread)).toBe(7);
    expect(await productQuantity(water)).toBeCloseTo(98.6, 6);
  });

  it('cancels a production and drafts it again; wait and draft create and delete its works', async () => {
    const dough = await createProduct(rpc, plant, { code: 'DOUGH', name: 'Dough', uom: kg });
    const category = await createWorkCenterCategory(rpc, { name: 'Kneader' });
    const line = await createWorkCenter(rpc, plant, { name: 'Line 2' });
    await createWorkCenter(rpc, plant, { name: 'Kneader 1', category, parent: line });
    const knead = await createRoutingOperation(rpc, { name: 'Knead', category });
    const bom = await createBom(rpc, { name: 'Dough', output: { product: dough, quantity: 1, uom: kg }, inputs: [] });
    const routing = await createRouting(rpc, { name: 'Dough', steps: [knead], boms: [bom] });
    const production = await createProduction(rpc, plant, {
      product: dough, quantity: 20, uom: kg, bom, routing, workCenter: line, plannedDate: addDays(today, 1),
    });
    const state = async () => {
      const row = await readOne(rpc, plant.context, 'production', production, ['state', 'works', 'outputs']);
      const outputs = await read(rpc, plant.context, 'stock.move', row.outputs as number[], ['state', 'quantity']);
      return { state: row.state, works: (row.works as number[]).length, outputs: outputs.map((m) => m.state) };
    };
    expect(await state()).toEqual({ state: 'draft', works: 0, outputs: ['draft'] });
    await waitProduction(rpc, plant, [production]);
    expect(await state()).toEqual({ state: 'waiting', works: 1, outputs: ['draft'] });
    await draftProduction(rpc, plant, [production]);
    expect(await state()).toEqual({ state: 'draft', works: 0, outputs: ['draft'] });
    await waitProduction(rpc, plant, [production]);
    await cancelProduction(rpc, plant, [production]);
    expect(await state()).toEqual({ state: 'cancelled', works: 0, outputs: ['cancelled'] });
    await draftProduction(rpc, plant, [production]);
    expect(await state()).toEqual({ state: 'draft', works: 0, outputs: [] });
    // A transition Tryton does not allow from the current state is skipped silently: the builder says so.
    await expect(runProduction(rpc, plant, [production])).rejects.toThrow(/is draft, not running/);

    // Without a BOM: one output move of the product, as Tryton's set_moves.
    const simple = await createProduction(rpc, plant, { product: dough, quantity: 5, uom: kg, plannedDate: addDays(today, 1) });
    const { inputs, outputs } = await readOne(rpc, plant.context, 'production', simple, ['inputs', 'outputs']);
    expect(inputs).toEqual([]);
    expect(await read(rpc, plant.context, 'stock.move', outputs as number[], ['product', 'quantity', 'from_location', 'to_location']))
      .toMatchObject([{ product: dough, quantity: 5, from_location: plant.locations.production, to_location: plant.locations.storage }]);
  });

  it('keeps stock per lot: receipts, stock counts, expiration dates', async () => {
    const sugar = await createProduct(rpc, plant, { code: 'SUGAR', name: 'Sugar', uom: kg, lot: true });
    const s1 = await createLot(rpc, plant, { product: sugar, number: 'S-1', expirationDate: addDays(today, 200) });
    const s2 = await createLot(rpc, plant, { product: sugar, number: 'S-2' });
    const s3 = await createLot(rpc, plant, { product: sugar, number: 'S-3', shelfLifeExpirationDate: addDays(today, 3) });
    expect(await read(rpc, plant.context, 'stock.lot', [s1, s3], ['number', 'product', 'expiration_date', 'shelf_life_expiration_date'])).toEqual([
      { id: s1, number: 'S-1', product: sugar, expiration_date: addDays(today, 200), shelf_life_expiration_date: null },
      { id: s3, number: 'S-3', product: sugar, expiration_date: null, shelf_life_expiration_date: addDays(today, 3) },
    ]);

    const move = await receiveStock(rpc, plant, { product: sugar, lot: s1, quantity: 20, uom: kg });
    expect(await readOne(rpc, plant.context, 'stock.move', move, ['state', 'from_location', 'to_location', 'effective_date', 'lot']))
      .toMatchObject({ state: 'done', from_location: plant.locations.lostFound, to_location: plant.locations.storage, effective_date: today, lot: s1 });
    await receiveStock(rpc, plant, { product: sugar, lot: s2, quantity: 5, uom: kg, from: 'supplier', unitPrice: '0.90' });
    await receiveStock(rpc, plant, { product: sugar, lot: s3, quantity: 4, uom: kg });
    // Without a lot Tryton refuses the move of a lot-required product.
    await expect(receiveStock(rpc, plant, { product: sugar, quantity: 1, uom: kg })).rejects.toThrow(/lot/);

    // The raw read a connector does: the context keys are `locations` (ids) and `with_childs`.
    const answer = await rpc.model<{ id: number; quantity: number }[]>('stock.lot', 'read', [[s1, s2, s3], ['quantity']],
      { ...plant.context, locations: [plant.locations.storage], with_childs: true });
    expect(answer).toEqual({ ok: true, value: [{ id: s1, quantity: 20 }, { id: s2, quantity: 5 }, { id: s3, quantity: 4 }] });
    const warehouse = await lotQuantities(rpc, plant, [s1], { locations: [plant.warehouse] });
    expect(warehouse.get(s1)).toEqual({ quantity: 20, forecastQuantity: 20 });

    const inventory = await adjustStock(rpc, plant, { product: sugar, lot: s1, quantity: 18 });
    await adjustStock(rpc, plant, { product: sugar, lot: s2, quantity: 7.5 });
    const [line] = await searchRead(rpc, plant.context, 'stock.inventory.line', [['inventory', '=', inventory]], ['expected_quantity', 'quantity', 'moves']);
    expect(line).toMatchObject({ expected_quantity: 20, quantity: 18 });
    expect(await read(rpc, plant.context, 'stock.move', line!.moves as number[], ['from_location', 'to_location', 'quantity', 'lot', 'state']))
      .toMatchObject([{ from_location: plant.locations.storage, to_location: plant.locations.lostFound, quantity: 2, lot: s1, state: 'done' }]);

    const quantities = await lotQuantities(rpc, plant, [s1, s2, s3]);
    expect(quantities.get(s1)).toEqual({ quantity: 18, forecastQuantity: 18 });
    expect(quantities.get(s2)).toEqual({ quantity: 7.5, forecastQuantity: 7.5 });
    // A lot past its shelf life leaves the forecast: with no end date, every lot with one does.
    expect(quantities.get(s3)).toEqual({ quantity: 4, forecastQuantity: 0 });
    expect((await lotQuantities(rpc, plant, [s3], { date: addDays(today, 2) })).get(s3)).toEqual({ quantity: 4, forecastQuantity: 4 });
    expect((await lotQuantities(rpc, plant, [s3], { date: addDays(today, 4) })).get(s3)).toEqual({ quantity: 4, forecastQuantity: 0 });
  });

  it('purchases: incoming moves planned on the delivery dates, moved, received into storage', async () => {
    const rye = await createProduct(rpc, plant, { code: 'RYE', name: 'Rye flour', uom: kg, lot: true });
    const salt = await createProduct(rpc, plant, { code: 'SALT', name: 'Salt', uom: kg });
    const mill = await createSupplier(rpc, plant, { name: 'Mühle Nord' });
    const purchase = await createPurchase(rpc, plant, {
      supplier: mill, reference: 'PO-1',
      lines: [
        { product: rye, quantity: 200, uom: kg, unitPrice: '0.65', deliveryDate: addDays(today, 7) },
        { product: salt, quantity: 10, uom: kg, unitPrice: '0.30', deliveryDate: addDays(today, 3) },
      ],
    });
    const { addresses } = await readOne(rpc, plant.context, 'party.party', mill, ['addresses']);
    expect(await readOne(rpc, plant.context, 'purchase.purchase', purchase, ['state', 'invoice_method', 'invoice_address', 'party', 'warehouse']))
      .toMatchObject({ state: 'draft', invoice_method: 'manual', invoice_address: (addresses as number[])[0], party: mill, warehouse: plant.warehouse });

    const [ryeMove, saltMove] = await processPurchase(rpc, plant, purchase);
    expect(await readOne(rpc, plant.context, 'purchase.purchase', purchase, ['state', 'shipment_state', 'number', 'purchase_date']))
      .toMatchObject({ state: 'processing', shipment_state: 'waiting', number: expect.any(String), purchase_date: today });
    const fields = ['product', 'quantity', 'uom', 'from_location', 'to_location', 'planned_date', 'state', 'unit_price', 'purchase', 'shipment'];
    expect(await read(rpc, plant.context, 'stock.move', [ryeMove!, saltMove!], fields)).toEqual([
      { id: ryeMove, product: rye, quantity: 200, uom: kg, from_location: plant.locations.supplier, to_location: plant.locations.input, planned_date: addDays(today, 7), state: 'draft', unit_price: 0.65, purchase, shipment: null },
      { id: saltMove, product: salt, quantity: 10, uom: kg, from_location: plant.locations.supplier, to_location: plant.locations.input, planned_date: addDays(today, 3), state: 'draft', unit_price: 0.3, purchase, shipment: null },
    ]);

    // The supplier announces a later date: the move's planned date, which the purchase line shows.
    await moveDeliveryDate(rpc, plant, ryeMove!, addDays(today, 10));
    expect(await readOne(rpc, plant.context, 'stock.move', ryeMove!, ['planned_date'])).toMatchObject({ planned_date: addDays(today, 10) });
    const [ryeLine] = await searchRead(rpc, plant.context, 'purchase.line', [['purchase', '=', purchase], ['product', '=', rye]], ['delivery_date']);
    expect(ryeLine).toMatchObject({ delivery_date: addDays(today, 10) });

    // In a supplier shipment the move follows the shipment's planned date.
    const shipment = await createSupplierShipment(rpc, plant, { moves: [saltMove!] });
    await moveDeliveryDate(rpc, plant, saltMove!, addDays(today, 5));
    expect(await readOne(rpc, plant.context, 'stock.shipment.in', shipment, ['planned_date', 'state'])).toMatchObject({ planned_date: addDays(today, 5), state: 'draft' });
    expect(await readOne(rpc, plant.context, 'stock.move', saltMove!, ['planned_date', 'shipment'])).toEqual({ id: saltMove, planned_date: addDays(today, 5), shipment: `stock.shipment.in,${shipment}` });

    const lot = await createLot(rpc, plant, { product: rye, number: 'R-1' });
    const ryeShipment = await receivePurchaseMove(rpc, plant, { move: ryeMove!, lot });
    expect(await readOne(rpc, plant.context, 'stock.move', ryeMove!, ['state', 'effective_date', 'lot'])).toMatchObject({ state: 'done', effective_date: today, lot });
    const { inventory_moves } = await readOne(rpc, plant.context, 'stock.shipment.in', ryeShipment, ['inventory_moves']);
    expect(await read(rpc, plant.context, 'stock.move', inventory_moves as number[], ['from_location', 'to_location', 'lot', 'state']))
      .toMatchObject([{ from_location: plant.locations.input, to_location: plant.locations.storage, lot, state: 'done' }]);
    expect((await lotQuantities(rpc, plant, [lot])).get(lot)).toEqual({ quantity: 200, forecastQuantity: 200 });
    expect(await readOne(rpc, plant.context, 'purchase.purchase', purchase, ['state', 'shipment_state'])).toMatchObject({ state: 'processing', shipment_state: 'waiting' });

    expect(await receivePurchaseMove(rpc, plant, { move: saltMove! })).toBe(shipment);
    expect(await productQuantity(salt)).toBe(10);
    expect(await readOne(rpc, plant.context, 'purchase.purchase', purchase, ['state', 'shipment_state'])).toMatchObject({ state: 'done', shipment_state: 'received' });
  });
});
