import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ImageUrlSchema } from './image-url.schema';

/** Documentation only: an image content part (validated by `contentProblem`). */
@ApiSchema({ name: 'ImagePart' })
export class ImagePartSchema {
  @ApiProperty({ enum: ['image_url'] }) type!: 'image_url';
  @ApiProperty({ type: () => ImageUrlSchema }) image_url!: ImageUrlSchema;
}
