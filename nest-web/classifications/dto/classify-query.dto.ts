import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ClassifyQueryDto {
  @ApiPropertyOptional({
    description: 'Seconds to wait for results (0: answer 202 at once). Default 20; at most the configured maximum.',
    minimum: 0,
    maximum: 3600,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  wait?: number;
}
