import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** `POST /ext/v1/ask`: strict like every DTO here (unknown fields are 400 `unknown_field`). */
export class AskDto {
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  question!: string;

  /** What to route to: a group, `provider/model` or a bare model name. */
  @IsOptional()
  @IsString()
  model?: string;
}
