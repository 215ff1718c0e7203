import { registerDecorator, ValidationArguments } from 'class-validator';

/** Says what is wrong with a value ("must be …"), or null when it is fine. */
export type ProblemOf = (value: unknown, owner: Record<string, unknown>) => string | null;

/**
 * A class-validator decorator from a plain function, for shapes the built-in decorators cannot
 * express (unions such as `string | string[]`, cross-field rules). The message is
 * "<property> <problem>" (or "<property>[i] …" when the problem names an element).
 */
export function Satisfies(name: string, problemOf: ProblemOf): PropertyDecorator {
  const problem = (args: ValidationArguments): string | null =>
    problemOf(args.value, args.object as Record<string, unknown>);
  return (target: object, propertyName: string | symbol): void =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_: unknown, args: ValidationArguments): boolean => problem(args) === null,
        defaultMessage: (args: ValidationArguments): string => {
          const text = problem(args) ?? 'is invalid';
          return `${args.property}${text.startsWith('[') ? '' : ' '}${text}`;
        },
      },
    });
}
