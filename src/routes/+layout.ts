// Every page is prerendered (adapter-static, strict).
export const prerender = true;
