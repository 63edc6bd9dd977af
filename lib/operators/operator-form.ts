import { z } from 'zod';
import { operatorRole } from '@/db/schema';
import { createOperatorInput } from './create-operator';
import { operatorCapacitySchema, operatorNameSchema } from './update-operator';

/**
 * What the Operators page's dialogs may send: the domain's own input schemas, narrowed to the
 * fields the page offers (presence is the operator's own business, passwords change elsewhere).
 * `.strict()`: an unknown field is a ZodError, not silently dropped.
 */
export const createOperatorFormSchema = createOperatorInput.omit({ status: true }).strict();
export type CreateOperatorForm = z.input<typeof createOperatorFormSchema>;

/** An edit: the operator's id and only the fields that changed. */
export const updateOperatorFormSchema = z
  .object({
    operatorId: z.uuid(),
    name: operatorNameSchema.optional(),
    role: z.enum(operatorRole.enumValues).optional(),
    capacity: operatorCapacitySchema.optional(),
    departmentIds: z.array(z.uuid()).max(100).optional(),
    isActive: z.boolean().optional(),
  })
  .strict();
export type UpdateOperatorForm = z.input<typeof updateOperatorFormSchema>;
