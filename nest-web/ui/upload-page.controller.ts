import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { WebConfig } from '#core/config/web-config.js';
import { WEB_CONFIG } from '../aws/tokens.js';
import { renderUploadPage, UPLOAD_PAGE_CSS, UPLOAD_PAGE_SCRIPT } from './upload-page.js';

const STRICT_CSP =
  "default-src 'self'; img-src 'self' blob:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'";

@ApiTags('ui')
@Controller()
export class UploadPageController {
  private readonly page: string;

  constructor(@Inject(WEB_CONFIG) config: WebConfig) {
    this.page = renderUploadPage(config.model);
  }

  @Get()
  @ApiOperation({ summary: 'The upload page: choose or drop images, see labels with confidence' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML page', schema: { type: 'string' } })
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', STRICT_CSP)
  uploadPage(): string {
    return this.page;
  }

  @Get('ui/upload-page.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return UPLOAD_PAGE_SCRIPT;
  }

  @Get('ui/upload-page.css')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/css; charset=utf-8')
  stylesheet(): string {
    return UPLOAD_PAGE_CSS;
  }
}
