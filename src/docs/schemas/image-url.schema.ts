import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** Documentation only: `image_url` of an image content part. */
@ApiSchema({ name: 'ImageUrl' })
export class ImageUrlSchema {
  @ApiProperty({
    description: 'An https URL or a data: URL.',
    example: 'https://example.com/cat.png',
  })
  url!: string;

  @ApiPropertyOptional({ enum: ['auto', 'low', 'high'] })
  detail?: string;
}
