import { Module } from '@nestjs/common';
import { UploadPageController } from './upload-page.controller.js';

@Module({ controllers: [UploadPageController] })
export class UiModule {}
