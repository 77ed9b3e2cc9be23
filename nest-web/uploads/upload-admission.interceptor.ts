import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { onResponseClosed } from '../http/response-closed.js';
import { declaredContentLength, UploadAdmission } from './upload-admission.js';

/**
 * Runs before multer reads a byte of the body: refuses a request over the limits (413, or 503
 * when this process takes in too much already) and holds its bytes until the response closes.
 */
@Injectable()
export class UploadAdmissionInterceptor implements NestInterceptor {
  constructor(private readonly admission: UploadAdmission) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const reservation = this.admission.admit(declaredContentLength(http.getRequest<Request>().headers));
    onResponseClosed(http.getResponse<Response>(), () => reservation.release());
    return next.handle();
  }
}
