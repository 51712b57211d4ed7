import { createApp } from 'vue';
import '@app/chat-widget/element';
import App from './App.vue';
import './site.css';

createApp(App).mount('#app');
