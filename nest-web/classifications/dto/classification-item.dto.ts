import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ClassScoreDto {
  @ApiProperty({ example: 'tench', description: 'Short ImageNet class name' })
  label!: string;
  @ApiProperty({ example: 'n01440764', description: 'WordNet id of the class' })
  wnid!: string;
  @ApiProperty({ example: 0, description: 'Model output index (0–999)' })
  index!: number;
  @ApiProperty({ example: 0.93, description: 'Softmax probability (0–1)' })
  confidence!: number;
}

export class PredictionDto extends ClassScoreDto {
  @ApiProperty({ type: [ClassScoreDto], description: 'The five most likely classes, best first' })
  top5!: ClassScoreDto[];
}

export class FailureDto {
  @ApiProperty({ enum: ['undecodable_image', 'input_missing', 'image_too_large'] })
  code!: string;
  @ApiProperty({ example: 'cannot decode image: premature end of JPEG' })
  message!: string;
}

export class TimingsDto {
  @ApiProperty() submittedAt!: string;
  @ApiProperty() completedAt!: string;
  @ApiProperty({ description: 'Upload to the worker receiving the job, ms' }) queueWaitMs!: number;
  @ApiProperty({ description: 'Reading the image from the input bucket, ms' }) downloadMs!: number;
  @ApiProperty({ description: 'Decode, resize, crop, normalise, ms' }) preprocessMs!: number;
  @ApiProperty({ description: 'The onnxruntime call this image was part of, ms' }) inferenceMs!: number;
  @ApiProperty({ description: 'Images in that onnxruntime call' }) batchSize!: number;
  @ApiProperty({ description: 'Upload to stored result, ms' }) totalMs!: number;
}

export class ClassificationItemDto {
  @ApiProperty({ format: 'uuid', description: 'Job id' })
  id!: string;
  @ApiProperty({ example: 'tench.jpg', description: 'The uploaded file name (sanitised)' })
  filename!: string;
  @ApiProperty({ enum: ['queued', 'done', 'failed'] })
  status!: 'queued' | 'done' | 'failed';
  @ApiProperty({ example: '/v1/classifications/0b7c…', description: 'Where to read this job later' })
  url!: string;
  @ApiPropertyOptional({ type: PredictionDto, description: 'Present when status is done' })
  result?: PredictionDto;
  @ApiPropertyOptional({ type: FailureDto, description: 'Present when status is failed' })
  error?: FailureDto;
  @ApiPropertyOptional({ example: 'mobilenetv2-12-int8' })
  model?: string;
  @ApiPropertyOptional({ type: TimingsDto, description: 'Present on GET once finished' })
  timings?: TimingsDto;
}

export class ClassificationBatchDto {
  @ApiProperty({ type: [ClassificationItemDto] })
  items!: ClassificationItemDto[];
}
