export {
  splitIntoTokens,
  startScriptedModelServer,
  type RecordedRequest,
  type ScriptedModelServer,
  type ScriptedModelServerOptions,
  type ScriptedToolCall,
  type ScriptedTurn,
} from './scripted-model-server.ts';
